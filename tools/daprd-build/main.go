// daprd 1.18.3, as cmd/daprd builds it with -tags stablecomponents, plus the sqlite name resolver.
//
// Why the extra resolver: on a single machine without Docker, daprd's default mDNS resolver would send
// multicast on the machine's network interface. The sqlite resolver keeps service discovery in a local
// file (see components/config.yaml) and loopback-only. Upstream registers it only under the
// `allcomponents` tag, which drags in many more modules; registering the one resolver here is smaller.
package main

import (
	"github.com/dapr/components-contrib/nameresolution/sqlite"
	"github.com/dapr/dapr/cmd/daprd/app"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
)

func init() {
	nrLoader.DefaultRegistry.RegisterComponent(sqlite.NewResolver, "sqlite")
}

func main() {
	app.Run()
}
