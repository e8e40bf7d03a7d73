-- The national indicators a record may leave empty (issue 32, the first without a code list):
-- 是否独生子女, 是否受过学前教育, 是否需要乘坐校车 and 上下学距离 (km, at most one decimal, as
-- text: "2.5"). 曾用名, 通信地址, 邮政编码 and 是否烈士或优抚子女 are classified and sealed
-- with the other classified values. Records from before read them as empty or no.
ALTER TABLE students ADD COLUMN only_child BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE students ADD COLUMN preschool BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE students ADD COLUMN school_bus BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE students ADD COLUMN commute_km TEXT NOT NULL DEFAULT '';
