package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunServesAndShutsDown(t *testing.T) {
	readyFile := filepath.Join(t.TempDir(), "ready")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-ready-file", readyFile, "-routes", "current",
			"-rejected-key-status", "401"}, &stdout, &stderr)
	}()

	var url string
	deadline := time.Now().Add(10 * time.Second)
	for url == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no ready file; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		if data, err := os.ReadFile(readyFile); err == nil {
			url = strings.TrimSpace(string(data))
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}

	req, _ := http.NewRequest(http.MethodGet, url+"/v1/runs/"+localhoneyhive.FixtureBaseline+"/summary", nil)
	req.Header.Set("Authorization", "Bearer "+localhoneyhive.DefaultAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"run_id":"run-baseline"`) {
		t.Fatalf("summary: %d %.200s", resp.StatusCode, body)
	}
	req.URL.Path = "/v1/runs/run-baseline/result" // -routes current: the alias is gone
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("alias with -routes current: status %d", resp.StatusCode)
	}

	req.Header.Set("Authorization", "Bearer hh_wrong") // -rejected-key-status 401: the answer of older deployments
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong key with -rejected-key-status 401: status %d", resp.StatusCode)
	}

	out := stdout.String()
	for _, want := range []string{url, localhoneyhive.DefaultAPIKey} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout does not mention %q:\n%s", want, out)
		}
	}

	cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	if _, err := http.Get(url + "/v1/runs"); err == nil {
		t.Error("server still answering after shutdown")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := [][]string{
		{"-routes", "newest"},
		{"-rejected-key-status", "500"},
		{"-addr", "not-an-address"},
		{"-no-such-flag"},
		{"extra"},
	}
	for _, args := range tests {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}
