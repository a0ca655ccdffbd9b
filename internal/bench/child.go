package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/switchboard-cc/switchboard/internal/app"
	"github.com/switchboard-cc/switchboard/internal/config"
)

// childEnv marks the process the bench starts as its server.
const childEnv = "SWITCHBOARD_BENCH_CHILD"

// IsChild tells whether this process is a bench's server (a test binary's
// TestMain asks, as the bench starts its own executable).
func IsChild() bool { return os.Getenv(childEnv) != "" }

// ChildMain runs the server of a bench: the real application (internal/app)
// with the settings of its SWITCHBOARD_* environment, on a free loopback
// port. It prints "ready URL" once listening, then answers one command per
// line of its standard input with "ok" or an error:
//
//	cpuprofile FILE   start a CPU profile
//	stopcpuprofile    stop it (the file is complete)
//	heapprofile FILE  write a heap profile
//	mutexprofile      start sampling lock contention
//	mutexprofile FILE write what was sampled (and stop)
//	freemem           collect garbage and return free memory to the OS
//
// It shuts down gracefully when its standard input ends or on SIGTERM.
func ChildMain() int {
	if err := serveChild(os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench server:", err)
		return 1
	}
	return 0
}

func serveChild(stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, _, err := config.Load("bench server", nil, os.LookupEnv, nil)
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: max(level, slog.LevelWarn)}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	a, err := app.New(ctx, cfg, nil, log)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ready http://%s\n", ln.Addr())
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		obeyCommands(stdin, stdout)
		cancel()
	}()
	return a.ServeListener(ctx, ln)
}

// obeyCommands answers the bench's commands until its input ends.
func obeyCommands(stdin io.Reader, stdout io.Writer) {
	var cpu *os.File
	defer func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
	}()
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		verb, arg, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		var err error
		switch verb {
		case "cpuprofile":
			if cpu != nil {
				err = fmt.Errorf("a CPU profile is already running")
				break
			}
			if cpu, err = os.Create(arg); err == nil {
				if err = pprof.StartCPUProfile(cpu); err != nil {
					cpu.Close()
					cpu = nil
				}
			}
		case "stopcpuprofile":
			if cpu != nil {
				pprof.StopCPUProfile()
				err = cpu.Close()
				cpu = nil
			}
		case "heapprofile":
			err = writeHeapProfile(arg)
		case "mutexprofile":
			err = mutexProfile(arg)
		case "freemem":
			runtime.GC()
			debug.FreeOSMemory()
		default:
			err = fmt.Errorf("unknown command %q", verb)
		}
		if err != nil {
			fmt.Fprintln(stdout, "error:", err)
			continue
		}
		fmt.Fprintln(stdout, "ok")
	}
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the profile then shows live memory as of now
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mutexProfile starts sampling contended locks (no file) or writes what
// was sampled and stops (a file).
func mutexProfile(path string) error {
	if path == "" {
		runtime.SetMutexProfileFraction(10)
		return nil
	}
	defer runtime.SetMutexProfileFraction(0)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("mutex").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
