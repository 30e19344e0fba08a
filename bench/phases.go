package main

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// phases is where the time of one plan with the provider's debug log went,
// read from that log (see readPhases).
type phases struct {
	plan        time.Duration // the whole logged plan
	fetch       time.Duration // the HTTP exchanges, bodies included (the longest, for the comparison's three concurrent ones)
	decode      time.Duration // the rest of fetch_and_decode_ms: decoding the bodies
	pair        time.Duration // the comparison's pairing, statistics and attribute values (0 for a run)
	buildState  time.Duration // attribute values (for a run) and the state's tftypes.Value
	encodeState time.Duration // the msgpack sent to Terraform, when the provider logs it
	encodeKnown bool
}

// provider returns the provider's own time.
func (p *phases) provider() time.Duration {
	return p.fetch + p.decode + p.pair + p.buildState + p.encodeState
}

// Debug log lines of the provider that readPhases reads.
var (
	responseLine = map[string]*regexp.Regexp{
		"run":        regexp.MustCompile(`HoneyHive API response: .*url=\S*/(?:summary|result)\b.*`),
		"comparison": regexp.MustCompile(`HoneyHive API response: .*url=\S*/(?:summary|result|compare/\S+|compare-with/\S+)(?:\?|\s).*`),
	}
	readLine = map[string]*regexp.Regexp{
		"run": regexp.MustCompile(`read HoneyHive experiment run: .*`),
		// The release gate makes the comparison's reads and logs its phases alike.
		"comparison": regexp.MustCompile(`read HoneyHive (?:run comparison|release gate): .*`),
	}
	encodeLine = regexp.MustCompile(`encoded data source state for Terraform: .*`)
)

// readPhases reads the provider's phases from a TF_LOG_PROVIDER=DEBUG log of
// a plan of one data source of kind ("run" or "comparison").
func readPhases(log []byte, kind string, plan time.Duration) (*phases, error) {
	p := &phases{plan: plan}
	responses := responseLine[kind].FindAll(log, -1)
	if len(responses) == 0 {
		return nil, fmt.Errorf("the provider log has no response line")
	}
	for _, l := range responses {
		d, err := msField(l, "duration_ms", "response")
		if err != nil {
			return nil, err
		}
		p.fetch = max(p.fetch, d)
	}
	read := readLine[kind].Find(log)
	if read == nil {
		return nil, fmt.Errorf("the provider log has no read line")
	}
	fetchDecode, err := msField(read, "fetch_and_decode_ms", "read")
	if err != nil {
		return nil, err
	}
	p.decode = max(fetchDecode-p.fetch, 0)
	if kind == "comparison" {
		if p.pair, err = msField(read, "pair_and_convert_ms", "read"); err != nil {
			return nil, err
		}
	}
	if p.buildState, err = msField(read, "build_state_ms", "read"); err != nil {
		return nil, err
	}
	if l := encodeLine.Find(log); l != nil {
		if p.encodeState, err = msField(l, "encode_state_ms", "state encoding"); err != nil {
			return nil, err
		}
		p.encodeKnown = true
	}
	return p, nil
}

// msField reads the milliseconds field name of a log line.
func msField(line []byte, name, what string) (time.Duration, error) {
	m := regexp.MustCompile(`\b` + name + `=(\d+)`).FindSubmatch(line)
	if m == nil {
		return 0, fmt.Errorf("the provider's %s line has no %s", what, name)
	}
	v, err := strconv.Atoi(string(m[1]))
	return time.Duration(v) * time.Millisecond, err
}
