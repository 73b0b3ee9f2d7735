package bench

import (
	"testing"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
