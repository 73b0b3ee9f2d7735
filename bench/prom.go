package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// sample is one line of a Prometheus text endpoint.
type sample struct {
	name, labels string
	value        float64
}

// samples reads every sample of a Prometheus text endpoint. It reads the
// text format's sample lines only, which is all the bench needs:
// counters, gauges and the sums of histograms.
func samples(ctx context.Context, url string) ([]sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape %s: %s", url, resp.Status)
	}
	var out []sample
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if name, labels, value, ok := parseSample(sc.Text()); ok {
			out = append(out, sample{name, labels, value})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scrape %s: %w", url, err)
	}
	return out, nil
}

// scrape sums the samples of each metric name.
func scrape(ctx context.Context, url string) (map[string]float64, error) {
	all, err := samples(ctx, url)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, s := range all {
		out[s.name] += s.value
	}
	return out, nil
}

// scrapeByLabel sums the samples of one metric by the value of one label,
// among those whose labels include every one of match.
func scrapeByLabel(ctx context.Context, url, metric, label string, match ...string) (map[string]float64, error) {
	all, err := samples(ctx, url)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, s := range all {
		if s.name != metric {
			continue
		}
		ok := true
		for _, m := range match {
			ok = ok && strings.Contains(s.labels, m)
		}
		if ok {
			out[labelValue(s.labels, label)] += s.value
		}
	}
	return out, nil
}

// scrapeMax is the largest sample of one metric, whatever its labels.
func scrapeMax(ctx context.Context, url, metric string) (float64, error) {
	all, err := samples(ctx, url)
	if err != nil {
		return 0, err
	}
	var out float64
	for _, s := range all {
		if s.name == metric {
			out = max(out, s.value)
		}
	}
	return out, nil
}

// parseSample splits `name{labels} value [timestamp]`.
func parseSample(line string) (name, labels string, value float64, ok bool) {
	if line == "" || line[0] == '#' {
		return "", "", 0, false
	}
	rest := line
	if i := strings.IndexByte(line, '{'); i >= 0 {
		j := strings.LastIndexByte(line, '}')
		if j < i {
			return "", "", 0, false
		}
		name, labels, rest = line[:i], line[i+1:j], line[j+1:]
	} else {
		f := strings.Fields(line)
		if len(f) < 2 {
			return "", "", 0, false
		}
		name, rest = f[0], strings.Join(f[1:], " ")
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return "", "", 0, false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return "", "", 0, false
	}
	return name, labels, v, true
}

// labelValue is the value of label in a Prometheus label list.
func labelValue(labels, label string) string {
	i := strings.Index(labels, label+`="`)
	if i < 0 {
		return ""
	}
	rest := labels[i+len(label)+2:]
	if j := strings.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return rest
}
