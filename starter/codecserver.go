package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
	"github.com/imagepipe/imagepipe/internal/temporalconf"
)

// The codec server's own settings, as variables for a container and as
// flags for a terminal.
const (
	codecListenVariable  = "IMAGEPIPE_CODEC_LISTEN"
	codecOriginsVariable = "IMAGEPIPE_CODEC_CORS_ORIGINS"
	defaultCodecListen   = "127.0.0.1:8081"
)

// cmdCodecServer serves the payload codec over HTTP, for the web UI and
// `temporal workflow show --codec-endpoint` to show encrypted payloads in
// plaintext. It is a command of its own, not a path on the worker's
// metrics listener: anyone who reaches it reads every pipeline's data, so
// it belongs on its own port, reachable by the people who may read the
// data, while /metrics is scraped by machines; and it needs the keys
// alone, none of the vendor credentials a worker holds. It reads the keys
// exactly as the worker does (temporalconf).
func cmdCodecServer(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("codec-server")
	listen := fs.String("listen", envOr(codecListenVariable, defaultCodecListen), "host:port to serve on ("+codecListenVariable+")")
	origins := fs.String("origins", os.Getenv(codecOriginsVariable),
		"web UI origins whose browsers may call it, comma-separated, or * ("+codecOriginsVariable+"; default: the origin of IMAGEPIPE_UI_URL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	conf, err := temporalconf.Load()
	if err != nil {
		return usageError{fmt.Errorf("settings: %w", err)}
	}
	if conf.Codec == nil {
		return usageError{fmt.Errorf("codec-server: no keys: set %s or %s to the worker's keys", temporalconf.KeysVariable, temporalconf.KeysFileVariable)}
	}
	allowed, err := corsOrigins(*origins, conf.UIURL)
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return usageError{fmt.Errorf("codec-server --listen (%s) %q: %w", codecListenVariable, *listen, err)}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("/", payloadcodec.NewHandler(conf.Codec, payloadcodec.HandlerOptions{AllowedOrigins: allowed}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	endpoint := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "codec endpoint %s: POST /encode and /decode; web UI origins %s; keys %s (encrypting with %s)\n"+
		"  web UI: Data Encoder settings, or TEMPORAL_CODEC_ENDPOINT=%s for the UI server\n"+
		"  CLI:    temporal workflow show -w ID --codec-endpoint %s\n",
		endpoint, strings.Join(allowed, ", "), strings.Join(conf.Codec.KeyIDs(), ", "), conf.Codec.EncryptKeyID(), endpoint, endpoint)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(shutdown)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("codec-server: %w", err)
	}
	return nil
}

// corsOrigins are the origins in list, each checked, or else the origin
// of the web UI the starter links to, which is where the UI's browser
// calls from; a loopback UI under both of its names, since the origin is
// whichever the user typed.
func corsOrigins(list, uiURL string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		u, err := url.Parse(uiURL)
		if err != nil {
			return nil, err
		}
		out := []string{u.Scheme + "://" + u.Host}
		if other, ok := map[string]string{"localhost": "127.0.0.1", "127.0.0.1": "localhost"}[u.Hostname()]; ok {
			host := other
			if u.Port() != "" {
				host = net.JoinHostPort(other, u.Port())
			}
			out = append(out, u.Scheme+"://"+host)
		}
		return out, nil
	}
	var out []string
	for _, o := range strings.Split(list, ",") {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "*" {
			out = append(out, o)
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			return nil, fmt.Errorf("codec-server --origins (%s): %q is not an origin; want scheme://host[:port] such as https://temporal.example.com, or *", codecOriginsVariable, o)
		}
		out = append(out, o)
	}
	return out, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
