package bench

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// throughputSVG draws workflows a second against concurrency for
// imagepipe and both floors, from the measured figures: a small generator
// of its own, so the chart needs no plotting module.
func throughputSVG(t *ThroughputResult) string {
	const w, h, left, right, top, bottom = 640.0, 400.0, 70.0, 180.0, 40.0, 60.0
	var concs []int
	for c := range t.ByConcurrency {
		concs = append(concs, c)
	}
	slices.Sort(concs)
	maxY := 0.0
	for _, c := range concs {
		for _, k := range t.ByConcurrency[c] {
			maxY = max(maxY, k.PerSecond)
		}
	}
	maxY = niceCeil(maxY)
	// Concurrency on a log axis: 1, 10 and 50 spread evenly enough.
	lx := func(c int) float64 {
		lo, hi := math.Log10(float64(concs[0])), math.Log10(float64(concs[len(concs)-1]))
		if hi == lo {
			return left + (w-left-right)/2
		}
		return left + (math.Log10(float64(c))-lo)/(hi-lo)*(w-left-right)
	}
	ly := func(v float64) float64 { return h - bottom - v/maxY*(h-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="14" font-weight="bold">Workflows completed per second against concurrency</text>`+"\n", left)
	for i := 0; i <= 5; i++ {
		v := maxY * float64(i) / 5
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%.1f</text>`+"\n",
			left, ly(v), w-right, ly(v), left-6, ly(v)+4, v)
	}
	for _, c := range concs {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="middle">%d</text>`+"\n",
			lx(c), top, lx(c), h-bottom, lx(c), h-bottom+18, c)
	}
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/><line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n",
		left, h-bottom, w-right, h-bottom, left, top, left, h-bottom)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">pipelines (workflows) in flight</text>`+"\n", left+(w-left-right)/2, h-18)
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">completed per second</text>`+"\n", top+(h-top-bottom)/2)
	colors := map[string]string{kindImagepipe: "#d62728", kindShape: "#1f77b4", kindRaw: "#2ca02c"}
	for i, kind := range []string{kindImagepipe, kindShape, kindRaw} {
		var pts []string
		for _, c := range concs {
			for _, k := range t.ByConcurrency[c] {
				if k.Kind == kind {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", lx(c), ly(k.PerSecond)))
					fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>`+"\n", lx(c), ly(k.PerSecond), colors[kind])
				}
			}
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), colors[kind])
		y := top + 20 + float64(i)*22
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="2"/><text x="%.0f" y="%.0f">%s</text>`+"\n",
			w-right+15, y, w-right+40, y, colors[kind], w-right+46, y+4, kind)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
