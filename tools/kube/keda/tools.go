//go:build tools

// Package tools keeps the KEDA commands this module builds in its module graph.
package tools

import (
	_ "github.com/kedacore/keda/v2/cmd/adapter"
	_ "github.com/kedacore/keda/v2/cmd/operator"
)
