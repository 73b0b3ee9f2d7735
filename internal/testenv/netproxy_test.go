package testenv

import (
	"bufio"
	"net"
	"testing"
	"time"
)

// echo serves a line echo on a free port until the test ends.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					if _, err := c.Write(append(sc.Bytes(), '\n')); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line through addr and reads the echo.
func roundTrip(addr string) (time.Duration, error) {
	start := time.Now()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return 0, err
	}
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func TestNetProxy_LatencyResetAndPartition(t *testing.T) {
	p := NewNetProxy(t, echo(t))
	if _, err := roundTrip(p.Addr); err != nil {
		t.Fatalf("through a clean proxy: %v", err)
	}

	remove, err := p.Latency(100 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if took, err := roundTrip(p.Addr); err != nil || took < 200*time.Millisecond {
		t.Fatalf("with 100ms each way: took %s, %v; want at least 200ms", took, err)
	}
	remove()

	remove, err = p.Reset()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := roundTrip(p.Addr); err == nil {
		t.Fatal("a connection survived the reset toxic")
	}
	remove()
	if _, err := roundTrip(p.Addr); err != nil {
		t.Fatalf("after the reset toxic went: %v", err)
	}

	p.Cut()
	if _, err := roundTrip(p.Addr); err == nil {
		t.Fatal("reached the server through a partition")
	}
	if err := p.Heal(); err != nil {
		t.Fatal(err)
	}
	if _, err := roundTrip(p.Addr); err != nil {
		t.Fatalf("after the partition: %v", err)
	}
}
