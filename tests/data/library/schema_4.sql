-- The tables and indexes of a new library file at schema 4, as SQLite
-- keeps them (sqlite_master, by name; trailing blanks dropped).
-- tests/library/test_paper_table.py holds what Paper declares to these.
CREATE TABLE import_file (
	id INTEGER NOT NULL,
	path VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	size INTEGER NOT NULL,
	sha256 VARCHAR NOT NULL,
	modified_at DATETIME NOT NULL,
	imported_at DATETIME NOT NULL,
	batch INTEGER NOT NULL,
	page_date DATE,
	form VARCHAR,
	PRIMARY KEY (id)
);
CREATE INDEX ix_import_file_batch ON import_file (batch);
CREATE INDEX ix_import_file_sha256 ON import_file (sha256);
CREATE INDEX ix_paper_added_at ON paper (added_at);
CREATE INDEX ix_paper_published ON paper (published);
CREATE INDEX ix_paper_source_import_file_id ON paper_source (import_file_id);
CREATE INDEX ix_paper_source_paper_id ON paper_source (paper_id);
CREATE INDEX ix_paper_status ON paper (status);
CREATE INDEX ix_paper_tag_tag_id ON paper_tag (tag_id);
CREATE INDEX ix_paper_upvotes ON paper (upvotes);
CREATE INDEX ix_upvote_seen_import_file_id ON upvote_seen (import_file_id);
CREATE TABLE meta (
	"key" VARCHAR NOT NULL,
	value VARCHAR NOT NULL,
	PRIMARY KEY ("key")
);
CREATE TABLE paper (
	id INTEGER NOT NULL,
	title_key VARCHAR NOT NULL,
	title VARCHAR NOT NULL,
	abstract VARCHAR NOT NULL,
	authors INTEGER,
	organisation VARCHAR,
	published DATE,
	published_text VARCHAR,
	year_inferred BOOLEAN NOT NULL,
	upvotes INTEGER,
	status VARCHAR NOT NULL,
	read_at DATETIME,
	note VARCHAR NOT NULL,
	note_updated_at DATETIME,
	added_at DATETIME NOT NULL,
	arxiv_id VARCHAR,
	author_names VARCHAR,
	comments INTEGER,
	submitter VARCHAR,
	github_url VARCHAR,
	github_stars INTEGER,
	summary VARCHAR,
	year_source VARCHAR,
	incomplete BOOLEAN DEFAULT 0 NOT NULL,
	triage VARCHAR,
	triaged_at DATETIME,
	opened_seconds FLOAT DEFAULT 0 NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (title_key)
);
CREATE TABLE paper_source (
	id INTEGER NOT NULL,
	paper_id INTEGER NOT NULL,
	import_file_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	outcome VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (paper_id, import_file_id, position),
	FOREIGN KEY(paper_id) REFERENCES paper (id) ON DELETE CASCADE,
	FOREIGN KEY(import_file_id) REFERENCES import_file (id) ON DELETE CASCADE
);
CREATE TABLE paper_tag (
	paper_id INTEGER NOT NULL,
	tag_id INTEGER NOT NULL,
	PRIMARY KEY (paper_id, tag_id),
	FOREIGN KEY(paper_id) REFERENCES paper (id) ON DELETE CASCADE,
	FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
);
CREATE TABLE saved_search (
	id INTEGER NOT NULL,
	name VARCHAR COLLATE "NOCASE" NOT NULL,
	"query" VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);
CREATE TABLE tag (
	id INTEGER NOT NULL,
	name VARCHAR COLLATE "NOCASE" NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (name)
);
CREATE TABLE upvote_seen (
	id INTEGER NOT NULL,
	paper_id INTEGER NOT NULL,
	upvotes INTEGER NOT NULL,
	seen_at DATETIME NOT NULL,
	import_file_id INTEGER,
	source VARCHAR NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (paper_id, seen_at, upvotes),
	FOREIGN KEY(paper_id) REFERENCES paper (id) ON DELETE CASCADE,
	FOREIGN KEY(import_file_id) REFERENCES import_file (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ux_paper_arxiv_id ON paper (arxiv_id) WHERE arxiv_id IS NOT NULL;
