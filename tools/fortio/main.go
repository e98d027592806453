// fortio-load: fortio 1.75.3's HTTP load engine (fhttp + periodic + stats, pinned in go.mod) behind a
// small command line for `make bench` (bench/lib/fortio.mjs). Why not the `fortio` binary itself: its
// main package imports fortio's grol scripting, and grol.io/grol is not served by the Go module proxy
// reachable here (403), so `go install fortio.org/fortio@v1.75.3` cannot build. The load engine needs
// none of it. One addition: -tokens-file runs one runner per bearer token (one per simulated user, the
// target rate and connections split evenly) and merges their latency histograms, because a per-user
// resource (a task-service user's index page) must not see every request come from one user.
// Prints one JSON object on stdout.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"fortio.org/fortio/fhttp"
	"fortio.org/fortio/stats"
	"fortio.org/log"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

type result struct {
	URL         string             `json:"url"`
	Users       int                `json:"users"`
	Connections int                `json:"connections"`
	TargetQPS   float64            `json:"targetQps"`
	QPS         float64            `json:"qps"`
	Count       int64              `json:"count"`
	DurationSec float64            `json:"durationSec"`
	Codes       map[string]int64   `json:"codes"`
	Errors      int64              `json:"errors"`
	Ms          map[string]float64 `json:"ms"`
}

func main() {
	var hs headers
	url := flag.String("url", "", "target URL")
	method := flag.String("X", "", "HTTP method (default GET, or POST with a payload)")
	payloadFile := flag.String("payload-file", "", "request body file")
	contentType := flag.String("content-type", "", "request content type")
	tokensFile := flag.String("tokens-file", "", "one bearer token per line: one runner per token")
	tokenHeader := flag.String("token-header", "Authorization: Bearer ", "how each line of -tokens-file is sent (the header and a prefix)")
	qps := flag.Float64("qps", 0, "target requests/s in total (0 = as fast as possible)")
	conns := flag.Int("c", 4, "connections in total")
	dur := flag.Duration("t", 5*time.Second, "duration")
	noCatchUp := flag.Bool("nocatchup", true, "do not send faster to catch up after a slow period")
	timeout := flag.Duration("timeout", 10*time.Second, "per-request timeout")
	flag.Var(&hs, "H", "extra header 'name: value' (repeatable)")
	flag.Parse()
	log.SetLogLevelQuiet(log.Error)

	var payload []byte
	if *payloadFile != "" {
		b, err := os.ReadFile(*payloadFile)
		if err != nil {
			fail(err)
		}
		payload = b
	}
	tokens := []string{""}
	if *tokensFile != "" {
		tokens = readLines(*tokensFile)
		if len(tokens) == 0 {
			fail(fmt.Errorf("no tokens in %s", *tokensFile))
		}
	}
	users := len(tokens)
	if *conns < users {
		*conns = users
	}

	results := make([]*fhttp.HTTPRunnerResults, users)
	var wg sync.WaitGroup
	for i, token := range tokens {
		o := fhttp.HTTPRunnerOptions{}
		o.URL = *url
		o.NumThreads = *conns / users
		if i < *conns%users {
			o.NumThreads++
		}
		if *qps > 0 {
			o.QPS = *qps / float64(users)
		} else {
			o.QPS = -1 // fortio: no wait between requests
		}
		o.Duration = *dur
		o.NoCatchUp = *noCatchUp
		o.Uniform = true
		o.RunnerOptions.Resolution = 0.0001 // 100 µs buckets: sub-millisecond hops stay visible
		o.Percentiles = []float64{50, 90, 99, 99.9}
		o.Out = io.Discard
		o.HTTPReqTimeOut = *timeout
		o.AllowInitialErrors = true
		o.Payload = payload
		o.ContentType = *contentType
		o.MethodOverride = *method
		for _, h := range hs {
			if err := o.AddAndValidateExtraHeader(h); err != nil {
				fail(err)
			}
		}
		if token != "" {
			if err := o.AddAndValidateExtraHeader(*tokenHeader + token); err != nil {
				fail(err)
			}
		}
		wg.Add(1)
		go func(i int, o fhttp.HTTPRunnerOptions) {
			defer wg.Done()
			r, err := fhttp.RunHTTPTest(&o)
			if err != nil {
				fail(err)
			}
			results[i] = r
		}(i, o)
	}
	wg.Wait()
	out := merge(results)
	out.URL, out.Users, out.Connections, out.TargetQPS = *url, users, *conns, *qps
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

// merge adds the runners' counts and merges their duration histograms: fortio's buckets have the same
// fixed boundaries in every runner (same resolution), only the first and last are clipped to min/max.
func merge(rs []*fhttp.HTTPRunnerResults) result {
	out := result{Codes: map[string]int64{}, Ms: map[string]float64{}}
	merged := &stats.HistogramData{Min: 1e18}
	type key struct{ s, e float64 }
	buckets := map[key]int64{}
	var sum float64
	for _, r := range rs {
		out.QPS += r.ActualQPS
		if d := r.ActualDuration.Seconds(); d > out.DurationSec {
			out.DurationSec = d
		}
		for code, n := range r.RetCodes {
			out.Codes[fmt.Sprint(code)] += n
			if code < 200 || code > 299 {
				out.Errors += n
			}
		}
		h := r.DurationHistogram
		if h == nil || h.Count == 0 {
			continue
		}
		merged.Count += h.Count
		sum += h.Sum
		if h.Min < merged.Min {
			merged.Min = h.Min
		}
		if h.Max > merged.Max {
			merged.Max = h.Max
		}
		for _, b := range h.Data {
			buckets[key{b.Start, b.End}] += b.Count
		}
	}
	out.Count = merged.Count
	if merged.Count == 0 {
		return out
	}
	keys := make([]key, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].e < keys[j].e || (keys[i].e == keys[j].e && keys[i].s < keys[j].s) })
	var cum int64
	for _, k := range keys {
		cum += buckets[k]
		merged.Data = append(merged.Data, stats.Bucket{Interval: stats.Interval{Start: k.s, End: k.e}, Percent: 100 * float64(cum) / float64(merged.Count), Count: buckets[k]})
	}
	ms := func(s float64) float64 { return stats.RoundToDigits(s*1000, 3) }
	out.Ms["min"], out.Ms["max"], out.Ms["avg"] = ms(merged.Min), ms(merged.Max), ms(sum/float64(merged.Count))
	for _, p := range []float64{50, 90, 99, 99.9} {
		out.Ms[fmt.Sprintf("p%g", p)] = ms(merged.CalcPercentile(p))
	}
	return out
}

func readLines(file string) []string {
	f, err := os.Open(file)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		if t := strings.TrimSpace(s.Text()); t != "" {
			lines = append(lines, t)
		}
	}
	return lines
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fortio-load:", err)
	os.Exit(1)
}
