package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// namespacePatience is how long a starting worker keeps asking a server
// that answers with a passing error (unavailable, a storage error, a
// deadline) whether its namespace exists, before it gives up. A worker
// restarted while the server restarts or stalls waits it out, as its
// pollers would, instead of exiting.
const namespacePatience = time.Minute

// awaitNamespace asks describe until the namespace is known to exist or
// not. A namespace that does not exist is an error at once, naming where
// it came from (source: TEMPORAL_NAMESPACE, or the profile and its file);
// credentials that may poll but not describe it pass (the worker's own
// start-up check still runs); a bad argument or bad credentials fail at
// once. Any other answer is retried, 1 s doubling to 8 s apart, for up to
// patience.
func awaitNamespace(ctx context.Context, log *zap.Logger, describe func(context.Context) error, ns, source, at string, patience time.Duration) error {
	deadline := time.Now().Add(patience)
	for wait := time.Second; ; wait = min(2*wait, 8*time.Second) {
		err := describe(ctx)
		var notFound *serviceerror.NamespaceNotFound
		var denied *serviceerror.PermissionDenied
		var invalid *serviceerror.InvalidArgument
		switch {
		case err == nil, errors.As(err, &denied):
			return nil
		case errors.As(err, &notFound), isNotFound(err):
			return fmt.Errorf("%s: no such namespace on temporal at %s; want an existing namespace "+
				"(temporal operator namespace list), or create it (temporal operator namespace create --namespace %s)", source, at, ns)
		case errors.As(err, &invalid), status.Code(err) == codes.Unauthenticated, ctx.Err() != nil, time.Now().Add(wait).After(deadline):
			return fmt.Errorf("describe namespace %q (%s) at %s: %w", ns, source, at, err)
		}
		log.Warn("temporal did not answer whether the namespace exists; asking again",
			zap.String("namespace", ns), zap.Duration("in", wait), zap.Error(err))
		select {
		case <-ctx.Done():
			return fmt.Errorf("describe namespace %q (%s) at %s: %w", ns, source, at, err)
		case <-time.After(wait):
		}
	}
}
