-- A library file as readinglist wrote it with schema 2 (before the site's fields).
-- Made by the schema-2 code: three papers, one read with a note, tags, a saved search.
BEGIN TRANSACTION;
CREATE TABLE import_file (
	id INTEGER NOT NULL, 
	path VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	modified_at DATETIME NOT NULL, 
	imported_at DATETIME NOT NULL, 
	batch INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "import_file" VALUES(1,'/dumps/2024-08-01.txt','2024-08-01.txt',10,'0000000000000000000000000000000000000000000000000000000000000000','2024-08-01 09:00:00.000000','2026-12-01 08:02:35.369601',1);
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('generation','5');
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
	PRIMARY KEY (id), 
	UNIQUE (title_key)
);
INSERT INTO "paper" VALUES(1,'universal transformers','Universal Transformers','Recurrent neural networks sequentially process data.',5,NULL,'2018-07-10','Jul 10, 2018',0,1,'read','2026-12-01 08:02:35.375751','Loved it','2026-12-01 08:02:35.377294','2026-12-01 08:02:35.369601');
INSERT INTO "paper" VALUES(2,'the llama 3 herd of models','The Llama 3 Herd of Models','Modern artificial intelligence (AI) systems are powered by foundation models.',NULL,NULL,'2024-07-31','Jul 31',1,94,'unread',NULL,'',NULL,'2026-12-01 08:02:35.369601');
INSERT INTO "paper" VALUES(3,'reactive transformer','Reactive Transformer','Event driven models.',NULL,'ReactiveAI Reactive AI',NULL,NULL,0,NULL,'unread',NULL,'',NULL,'2026-12-01 08:02:35.369601');
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
INSERT INTO "paper_source" VALUES(1,1,1,0,'added');
INSERT INTO "paper_source" VALUES(2,2,1,1,'added');
INSERT INTO "paper_source" VALUES(3,3,1,2,'added');
CREATE TABLE paper_tag (
	paper_id INTEGER NOT NULL, 
	tag_id INTEGER NOT NULL, 
	PRIMARY KEY (paper_id, tag_id), 
	FOREIGN KEY(paper_id) REFERENCES paper (id) ON DELETE CASCADE, 
	FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
);
INSERT INTO "paper_tag" VALUES(1,1);
INSERT INTO "paper_tag" VALUES(2,1);
INSERT INTO "paper_tag" VALUES(2,2);
CREATE TABLE saved_search (
	id INTEGER NOT NULL, 
	name VARCHAR COLLATE "NOCASE" NOT NULL, 
	"query" VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "saved_search" VALUES(1,'transformers','title:transformer');
CREATE TABLE tag (
	id INTEGER NOT NULL, 
	name VARCHAR COLLATE "NOCASE" NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "tag" VALUES(1,'Transformers');
INSERT INTO "tag" VALUES(2,'llm');
CREATE INDEX ix_paper_status ON paper (status);
CREATE INDEX ix_paper_upvotes ON paper (upvotes);
CREATE INDEX ix_paper_added_at ON paper (added_at);
CREATE INDEX ix_paper_published ON paper (published);
CREATE INDEX ix_import_file_sha256 ON import_file (sha256);
CREATE INDEX ix_import_file_batch ON import_file (batch);
CREATE INDEX ix_paper_tag_tag_id ON paper_tag (tag_id);
CREATE INDEX ix_paper_source_paper_id ON paper_source (paper_id);
CREATE INDEX ix_paper_source_import_file_id ON paper_source (import_file_id);
COMMIT;
PRAGMA user_version=2;
