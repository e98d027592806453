// Stand-in for github.com/iskorotkov/avro/v2 (not served by the reachable module proxy); see ../go.mod.
module github.com/iskorotkov/avro/v2

go 1.24

require github.com/hamba/avro/v2 v2.31.0
