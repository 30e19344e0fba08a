// Command launcher stands in for terraform-provider-honeyhive in a
// dev_overrides directory so that the benchmark can measure the provider's
// peak memory: it runs the real provider binary (BENCH_REAL_PROVIDER) as its
// child with the same arguments, environment and standard streams (the
// go-plugin handshake passes straight through), waits for it, and appends the
// child's peak resident set size, from getrusage, to BENCH_RSS_FILE as one
// line of kibibytes. It exits with the child's status.
//
// Terraform stops providers gracefully (a gRPC Shutdown, after which the
// provider exits by itself), so the child is waited for in the normal case;
// signals the launcher receives are forwarded to it.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	provider := os.Getenv("BENCH_REAL_PROVIDER")
	if provider == "" {
		fmt.Fprintln(os.Stderr, "launcher: BENCH_REAL_PROVIDER is not set")
		os.Exit(1)
	}
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "launcher:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if path := os.Getenv("BENCH_RSS_FILE"); path != "" {
			if f, ferr := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); ferr == nil {
				fmt.Fprintf(f, "%d\n", ru.Maxrss) // kibibytes on Linux
				_ = f.Close()
			}
		}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		os.Exit(1)
	}
}
