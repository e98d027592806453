// Package avro is a minimal stand-in for the iskorotkov/avro fork: daprd's pulsar registration only sets
// decoder allocation limits through it. The limits are forwarded to hamba/avro, which upstream
// pulsar-client-go uses. hamba has no map limit, so MaxMapAllocSize is accepted and not enforced.
package avro

import hamba "github.com/hamba/avro/v2"

type API = hamba.API

type Config struct {
	MaxSliceAllocSize int
	MaxMapAllocSize   int
}

var DefaultConfig API = hamba.DefaultConfig

func (c Config) Freeze() API {
	api := hamba.Config{MaxSliceAllocSize: c.MaxSliceAllocSize}.Freeze()
	hamba.DefaultConfig = api
	return api
}
