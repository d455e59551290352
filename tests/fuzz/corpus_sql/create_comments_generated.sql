CREATE /* c */ TABLE t -- the table
( a INT /* , b INT ) */,
  -- , c INT,
  d TEXT CHECK (d <> /* ) */ 'x') -- end
, e INT GENERATED ALWAYS AS (a * 2) STORED, f INT AS (a + 1) VIRTUAL) STRICT