// Package temporalconf is the one Temporal client configuration the worker
// and the starter both read, so they cannot disagree about where they
// meet: the connection (the Temporal SDK's environment configuration:
// TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*,
// TEMPORAL_PROFILE and its TOML file), the task queue
// (IMAGEPIPE_TASK_QUEUE), the web UI that links point at
// (IMAGEPIPE_UI_URL), and the payload encryption keys
// (IMAGEPIPE_CODEC_KEYS or IMAGEPIPE_CODEC_KEYS_FILE, and
// IMAGEPIPE_CODEC_KEY_ID).
package temporalconf

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
	"go.temporal.io/sdk/converter"
	"google.golang.org/grpc"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
	"github.com/imagepipe/imagepipe/internal/taskqueue"
)

// The variables this package reads besides the SDK's and the task queue's.
const (
	UIURLVariable    = "IMAGEPIPE_UI_URL"
	KeysVariable     = "IMAGEPIPE_CODEC_KEYS"
	KeysFileVariable = "IMAGEPIPE_CODEC_KEYS_FILE"
	KeyIDVariable    = "IMAGEPIPE_CODEC_KEY_ID"
)

// devUIPortOffset is how far above the frontend's port the dev server
// serves its web UI (temporal server start-dev --help: --ui-port
// "Defaults to '--port' value + 1000"), so 7233 gives 8233.
const devUIPortOffset = 1000

// Config is where and how to reach Temporal.
type Config struct {
	// Options is the loaded profile, as the SDK's envconfig gives it.
	// Use WorkerOptions or InspectorOptions to dial: they add the codec.
	Options   client.Options
	Namespace string
	// NamespaceSource says where Namespace came from, for messages that
	// ask the operator to change it: the variable, or the profile and
	// its file.
	NamespaceSource string
	HostPort        string
	TaskQueue       string
	// UIURL is the web UI's base URL, without a trailing slash.
	UIURL string
	// Codec encrypts payloads, failure messages and stack traces among
	// them; nil when no keys are configured, and payloads are stored as
	// the SDK's plain JSON.
	Codec *payloadcodec.Codec
}

// Load reads the configuration from the environment and the profile file
// it names, reporting every problem at once, each naming its variable.
func Load() (Config, error) {
	var problems []error
	opts, err := envconfig.LoadDefaultClientOptions()
	if err != nil {
		problems = append(problems, fmt.Errorf("temporal client settings: %w", err))
	}
	c := Config{Options: opts, Namespace: opts.Namespace, HostPort: opts.HostPort}
	if c.Namespace == "" {
		c.Namespace = client.DefaultNamespace
	}
	c.NamespaceSource = namespaceSource(c.Namespace)
	if c.HostPort == "" {
		c.HostPort = client.DefaultHostPort
	}
	if c.TaskQueue, err = taskqueue.FromEnv(); err != nil {
		problems = append(problems, err)
	}
	if c.UIURL, err = uiURL(c.HostPort); err != nil {
		problems = append(problems, err)
	}
	if c.Codec, err = loadCodec(); err != nil {
		problems = append(problems, err)
	}
	return c, errors.Join(problems...)
}

// uiURL is IMAGEPIPE_UI_URL, or else the dev server's UI for the
// frontend at hostPort: the same host, its port plus 1000. Any other
// server's UI lives wherever it was deployed, so set the variable there.
func uiURL(hostPort string) (string, error) {
	if v := os.Getenv(UIURLVariable); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("%s=%q: not an http or https URL; want the web UI's address, such as https://temporal.example.com or http://localhost:8233", UIURLVariable, v)
		}
		return strings.TrimRight(v, "/"), nil
	}
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		return "http://localhost:8233", nil // the SDK refuses such an address when dialling
	}
	n, err := strconv.Atoi(port)
	if err != nil || n+devUIPortOffset > 65535 {
		return "http://localhost:8233", nil
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(n+devUIPortOffset)), nil
}

// WorkflowURL links to workflow id in the web UI, in the configured
// namespace.
func (c Config) WorkflowURL(id string) string {
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", c.UIURL, url.PathEscape(c.Namespace), url.PathEscape(id))
}

// WorkerOptions are the client options for a process whose payloads the
// SDK converts, the worker: the codec runs in its data converter, and
// its failure converter encrypts failure messages and stack traces
// through that data converter too.
func (c Config) WorkerOptions() client.Options {
	o := c.Options
	if c.Codec != nil {
		o.DataConverter = converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c.Codec)
		o.FailureConverter = failureConverter(o.DataConverter)
	}
	return o
}

// InspectorOptions are the client options for a process that also reads
// payloads out of raw histories, descriptions and schedules, the starter:
// the codec runs on the gRPC connection, encrypting every payload sent and
// decrypting every payload received, so a history arrives in plaintext
// and the default data converter reads it. Search attributes pass
// untouched both ways, as the server must index them. What it writes is
// what a worker's codec data converter writes (the SDK's
// NewPayloadCodecGRPCClientInterceptor mimics it). Failures get their
// messages back from the encrypted attributes the worker's failure
// converter stores them in. Without the keys, an encrypted failure
// message reads as the variables to set.
func (c Config) InspectorOptions() (client.Options, error) {
	o := c.Options
	chain, err := c.inspectorInterceptors()
	if err != nil {
		return o, err
	}
	// A new slice: the loaded options' own must not grow under a copy.
	o.ConnectionOptions.DialOptions = append(append([]grpc.DialOption(nil), o.ConnectionOptions.DialOptions...),
		grpc.WithChainUnaryInterceptor(chain...))
	return o, nil
}

// inspectorInterceptors are InspectorOptions' interceptors, outermost
// first.
func (c Config) inspectorInterceptors() ([]grpc.UnaryClientInterceptor, error) {
	if c.Codec == nil {
		failures, err := lockedFailureInterceptor()
		if err != nil {
			return nil, fmt.Errorf("failure decoding: %w", err)
		}
		return []grpc.UnaryClientInterceptor{failures}, nil
	}
	failures, err := failureInterceptor()
	if err != nil {
		return nil, fmt.Errorf("failure decoding: %w", err)
	}
	codec, err := converter.NewPayloadCodecGRPCClientInterceptor(converter.PayloadCodecGRPCClientInterceptorOptions{
		Codecs: []converter.PayloadCodec{c.Codec},
	})
	if err != nil {
		return nil, fmt.Errorf("payload codec: %w", err)
	}
	// Failures first: a received failure is decrypted by the codec before
	// its message is unpacked, a sent one packed before it is encrypted.
	return []grpc.UnaryClientInterceptor{failures, codec}, nil
}
