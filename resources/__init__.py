"""The icon, the stylesheet and the screenshots, installed as readinglist.resources."""
