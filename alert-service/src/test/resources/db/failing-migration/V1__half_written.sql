-- A migration that fails half-way (SchemaMigrationsTest): the first statement is valid, the second refers to a
-- table that does not exist.
CREATE TABLE migration_probe (id INT PRIMARY KEY);
INSERT INTO no_such_table VALUES (1);
