package simkit

import (
	"net/http"
	"strings"
)

// Router maps requests to an emulator's operations by patterns like
// "GET /20160918/compartments/{compartmentId}", with H the vendor's own
// handler type. A {name} segment matches one non-empty path segment; every
// other segment matches itself only, so a doubled or trailing slash
// matches nothing. Each vendor answers a miss in its own error shape.
type Router[H any] struct {
	routes []route[H]
}

type route[H any] struct {
	method  string
	segs    []string
	op      string
	handler H
}

// Route is a request's operation, its handler and its path parameters
// (the path's segments as given to Match, not unescaped).
type Route[H any] struct {
	Op      string
	Handler H
	Params  map[string]string
}

// Handle adds a route: pattern is a method, a space and a path pattern;
// op is the operation name Calls and Faults key on.
func (rt *Router[H]) Handle(pattern, op string, h H) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("simkit: route pattern " + pattern + " has no method")
	}
	rt.routes = append(rt.routes, route[H]{method: method, segs: strings.Split(path, "/"), op: op, handler: h})
}

// Match finds the route for method and path. It answers http.StatusOK with
// the route; http.StatusMethodNotAllowed when the path is known under
// another method (the Route then names the first such path's operation,
// for a vendor that counts those calls); http.StatusNotFound otherwise.
func (rt *Router[H]) Match(method, path string) (Route[H], int) {
	segs := strings.Split(path, "/")
	var other *route[H]
	for i := range rt.routes {
		r := &rt.routes[i]
		params, ok := r.match(segs)
		if !ok {
			continue
		}
		if r.method == method {
			return Route[H]{Op: r.op, Handler: r.handler, Params: params}, http.StatusOK
		}
		if other == nil {
			other = r
		}
	}
	if other != nil {
		return Route[H]{Op: other.op, Handler: other.handler}, http.StatusMethodNotAllowed
	}
	return Route[H]{}, http.StatusNotFound
}

func (r *route[H]) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(r.segs) {
		return nil, false
	}
	var params map[string]string
	for i, want := range r.segs {
		if name, ok := strings.CutPrefix(want, "{"); ok {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[strings.TrimSuffix(name, "}")] = segs[i]
			continue
		}
		if segs[i] != want {
			return nil, false
		}
	}
	return params, true
}
