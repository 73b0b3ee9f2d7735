package payloadcodec

import (
	"net/http"
	"slices"
	"strings"

	"go.temporal.io/sdk/converter"
)

// The headers the Temporal web UI sends to a codec endpoint: its JSON
// body's type, the namespace of the payloads, and, when the UI is set to
// pass the user's access token (over HTTPS only), that token
// (temporalio/ui src/lib/services/data-encoder.ts). The CLI's
// --codec-auth sends Authorization too.
var allowedHeaders = []string{"Content-Type", "X-Namespace", "Authorization"}

// preflightMaxAge lets a browser reuse a preflight answer for ten minutes
// instead of asking before each batch of payloads.
const preflightMaxAge = "600"

// HandlerOptions configure NewHandler.
type HandlerOptions struct {
	// AllowedOrigins are the origins (scheme://host[:port]) of the web UIs
	// whose browsers may call the endpoint; "*" allows any. Requests with
	// no Origin (the Temporal CLI, scripts) are always served.
	AllowedOrigins []string
}

// NewHandler serves the Temporal codec protocol (POST .../encode and
// .../decode, payloads as protobuf JSON) with the SDK's handler, adding
// the CORS answers a browser needs before the web UI may call it from
// another origin. Credentials are allowed, for the UI's "include
// cross-origin credentials" setting; the browser then needs the origin
// echoed, never "*", which is what this sends.
func NewHandler(c *Codec, opts HandlerOptions) http.Handler {
	codec := converter.NewPayloadCodecHTTPHandler(c)
	anyOrigin := slices.Contains(opts.AllowedOrigins, "*")
	allowed := func(origin string) bool {
		return anyOrigin || slices.Contains(opts.AllowedOrigins, strings.TrimRight(origin, "/"))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" {
			w.Header().Add("Vary", "Origin")
			if !allowed(origin) {
				http.Error(w, "origin "+origin+" is not allowed to use this codec endpoint; add it to IMAGEPIPE_CODEC_CORS_ORIGINS", http.StatusForbidden)
				return
			}
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", strings.Join(allowedHeaders, ", "))
			w.Header().Set("Access-Control-Max-Age", preflightMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		codec.ServeHTTP(w, r)
	})
}
