package pipeline

import (
	"os"
	"testing"
)

func BenchmarkParse_GoldRollout(b *testing.B) {
	data, err := os.ReadFile("../examples/gold-rollout.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("gold-rollout.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
