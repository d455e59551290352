CREATE TABLE a(x TEXT DEFAULT ';');
CREATE INDEX i ON a(x); -- trailing ; comment
/* ; */ CREATE TABLE "we;ird"(y);