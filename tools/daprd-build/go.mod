// Wrapper module that builds daprd from Go modules (no Docker, no release tarball).
// `go install github.com/dapr/dapr/cmd/daprd@v1.18.3` is refused because dapr's go.mod has replace
// directives; a main module that requires dapr and repeats those replaces builds the same binary.
// See docs/dapr-build.md for the three substitutions below and why they are safe for this project.
module todo-platform/daprd-build

go 1.26.6

require github.com/dapr/dapr v1.18.3

require github.com/hamba/avro/v2 v2.31.0 // indirect

// From dapr v1.18.3's go.mod (a dependency's replaces are ignored by Go, so they are repeated here).
replace (
	dubbo.apache.org/dubbo-go/v3 => dubbo.apache.org/dubbo-go/v3 v3.0.3-0.20230118042253-4f159a2b38f3
	gopkg.in/couchbaselabs/gocbconnstr.v1 => github.com/couchbaselabs/gocbconnstr v1.0.5
)

replace (
	github.com/chenzhuoyu/iasm => github.com/chenzhuoyu/iasm v0.9.0
	github.com/chzyer/logex => github.com/chzyer/logex v1.2.1
	github.com/gobwas/pool => github.com/gobwas/pool v0.2.1
	github.com/toolkits/concurrent => github.com/niean/gotools v0.0.0-20151221085310-ff3f51fc5c60
)

// Substitutions: the Go module proxy reachable here does not serve these exact versions
// ("This module version is not available"). Each stand-in is the nearest one it does serve.
replace (
	// v0.12.4 unavailable → the commit dapr v1.18.2 pinned. Workflow engine only; this project uses no workflows.
	github.com/dapr/durabletask-go => github.com/dapr/durabletask-go v0.12.2-0.20260720132056-79042da5fe61

	// dapr v1.18.3 swapped in a pulsar-client fork built on iskorotkov/avro; neither is served.
	// Use upstream pulsar-client-go (as dapr v1.18.2 did) and a local shim for the avro import in
	// daprd's pulsar registration. Pulsar is never loaded by this project's components.
	github.com/iskorotkov/avro/v2 => ./avro-shim
)
