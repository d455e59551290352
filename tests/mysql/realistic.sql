-- A realistic schema for premix_schema(): types, defaults, auto_increment,
-- primary keys, UNIQUE, foreign keys with actions, CHECK, indexes
-- (single, composite, unique, descending, prefix), a JSON column, comments,
-- quotes and backslashes in defaults, non-ASCII names.  Only types the core
-- reads today (unsigned, enum and set: tests/mysql/types.sql).
CREATE TABLE orgs (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  slug VARCHAR(50) NOT NULL,
  plan VARCHAR(20) NOT NULL DEFAULT 'free',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT orgs_slug_key UNIQUE (slug)
) COMMENT 'customer organisations';

CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT,
  org_id INT NULL,
  email VARCHAR(255) NOT NULL,
  username VARCHAR(50) NOT NULL,
  display_name VARCHAR(100) DEFAULT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  age SMALLINT CHECK (age >= 0),
  balance DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  score DOUBLE,
  ratio FLOAT DEFAULT 0.5,
  bio TEXT,
  avatar BLOB,
  settings JSON NOT NULL DEFAULT '{}',
  born DATE,
  wake_at TIME,
  last_seen TIMESTAMP NULL DEFAULT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  country CHAR(2) NOT NULL DEFAULT 'SE' COMMENT 'ISO 3166',
  status VARCHAR(20) NOT NULL DEFAULT 'active',
  nick VARCHAR(30) COLLATE utf8mb4_bin,
  PRIMARY KEY (id),
  UNIQUE KEY users_email_key (email),
  CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT users_username_check CHECK (char_length(username) > 2),
  KEY users_org_status_idx (org_id, status),
  KEY users_last_seen_idx (last_seen DESC)
);

CREATE UNIQUE INDEX users_org_username_key ON users (org_id, username);

CREATE TABLE projects (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id INT NOT NULL,
  owner_id BIGINT,
  title VARCHAR(200) NOT NULL,
  budget DECIMAL(12,0),
  big BIGINT NOT NULL DEFAULT 0,
  tiny TINYINT NOT NULL DEFAULT 0,
  medium MEDIUMINT,
  blob_small TINYBLOB,
  text_medium MEDIUMTEXT,
  text_long LONGTEXT,
  code VARBINARY(16),
  stamp DATETIME(6) DEFAULT NULL,
  done BOOLEAN NOT NULL DEFAULT FALSE,
  note VARCHAR(20) DEFAULT 'it''s n/a',
  path VARCHAR(100) NOT NULL DEFAULT 'C:\\temp',
  CONSTRAINT projects_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE,
  CONSTRAINT projects_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT ON UPDATE NO ACTION,
  CONSTRAINT projects_budget_check CHECK (budget IS NULL OR budget >= 0),
  INDEX projects_title_idx (title(50))
);

CREATE TABLE project_members (
  project_id INT NOT NULL,
  user_id BIGINT NOT NULL,
  role VARCHAR(20) NOT NULL DEFAULT 'member',
  PRIMARY KEY (project_id, user_id),
  FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  FOREIGN KEY (user_id) REFERENCES users (id)
);

-- non-ASCII names, a name with a space
CREATE TABLE `café` (
  `naïve` INT NOT NULL PRIMARY KEY,
  `two words` VARCHAR(10) DEFAULT 'ünï'
);

CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = 1;
