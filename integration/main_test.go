package integration

import (
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func dial(t *testing.T) client.Client { return testenv.Dial(t) }

func startWorker(t *testing.T, c client.Client, queue string, acts ...any) {
	testenv.StartWorker(t, c, queue, acts...)
}
