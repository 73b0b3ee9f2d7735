package simkit

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// Calls counts requests per operation. The zero value is ready to use.
type Calls struct {
	mu sync.Mutex
	n  map[string]int
}

// Add records one request of operation op.
func (c *Calls) Add(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[op]++
}

// Count is how many requests of operation op arrived, faulted ones included.
func (c *Calls) Count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[op]
}

// RandomHex returns n random bytes, hex encoded: request ids, job ids, uuids.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
