package temporalconf

import (
	failurepb "go.temporal.io/api/failure/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
)

// encodedFailureMessage is the message the SDK leaves in a failure whose
// message and stack trace it moved into the failure's encoded attributes
// (converter.EncodeCommonFailureAttributes).
const encodedFailureMessage = "Encoded failure"

// failureConverter moves every failure's message and stack trace into a
// payload that dc (the codec data converter) encrypts: a step's failure
// quotes the vendor's error message and the resources it names, which
// would otherwise sit in plain text in the history.
func failureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{DataConverter: dc, EncodeCommonAttributes: true})
}

// failureInterceptor does on the starter's connection what
// failureConverter does in the worker: received failures get their
// message and stack trace back from the encoded attributes (which the
// payload codec, nearer the wire, has decrypted by then), sent ones are
// encoded the same way. It must come before the codec's interceptor in
// the chain, as the SDK says.
func failureInterceptor() (grpc.UnaryClientInterceptor, error) {
	return converter.NewFailureGRPCClientInterceptor(converter.NewFailureGRPCClientInterceptorOptions{EncodeCommonAttributes: true})
}

// lockedFailureInterceptor is for a starter without the keys: a failure
// whose message is encrypted says so, and which variables would read it,
// wherever the starter shows it (status, watch, list, history), instead
// of the SDK's bare "Encoded failure". One encoded without encryption is
// decoded.
func lockedFailureInterceptor() (grpc.UnaryClientInterceptor, error) {
	hint := "encrypted message: set " + KeysVariable + " or " + KeysFileVariable + " to the worker's keys to read it"
	dc := converter.GetDefaultDataConverter()
	return proxy.NewFailureVisitorInterceptor(proxy.FailureVisitorInterceptorOptions{
		Inbound: &proxy.VisitFailuresOptions{
			Visitor: func(_ *proxy.VisitFailuresContext, f *failurepb.Failure) error {
				if f.GetEncodedAttributes() == nil {
					return nil
				}
				if string(f.GetEncodedAttributes().GetMetadata()[converter.MetadataEncoding]) == payloadcodec.Encoding {
					if f.GetMessage() == encodedFailureMessage || f.GetMessage() == "" {
						f.Message = "(" + hint + ")"
					}
					return nil
				}
				converter.DecodeCommonFailureAttributes(dc, f)
				return nil
			},
		},
	})
}
