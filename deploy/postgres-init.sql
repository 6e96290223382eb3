-- Runs once, when the postgres volume is first initialised (docker-compose.yml).
-- The back office database (DATABASE_URL) and Temporal's persistence and visibility databases.
CREATE DATABASE backoffice;
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
