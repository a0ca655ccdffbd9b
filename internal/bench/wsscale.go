package bench

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// The ws-scale scenario: every agent opens his desktop socket and leaves
// it idle. The server's memory is read before the sockets open and after
// they have been open a while; the difference per socket is the cost of
// an idle desktop. Before each reading the server collects its garbage and
// returns free memory to the OS (a command only the bench's own server
// obeys), so both readings count live memory, not what the set-up's
// password hashing left behind.

// socketsPhase opens one desktop socket per agent, holds them for hold,
// and measures the server's memory around it. The sockets stay open until
// closeAll.
func socketsPhase(ctx context.Context, t target, before usage, agents []*benchAgent, hold time.Duration,
	concurrency int, errs *Errors) (res *SocketResult, closeAll func(), err error) {
	res = &SocketResult{Sockets: len(agents), RSSBefore: before.RSS, HeapBefore: before.HeapInuse, StackBefore: before.StackInuse}
	var (
		dials  Samples
		mu     sync.Mutex
		conns  []*websocket.Conn
		opened atomic.Int64
	)
	readCtx, stopReading := context.WithCancel(context.Background())
	closeAll = func() {
		stopReading()
		for _, c := range conns {
			c.CloseNow()
		}
	}
	_ = parallel(ctx, len(agents), concurrency, func(ctx context.Context, i int) error {
		start := time.Now()
		conn, err := openDesk(ctx, agents[i])
		if err != nil {
			errs.Add(errorKind("agent socket", err))
			return nil
		}
		dials.Add(time.Since(start))
		opened.Add(1)
		mu.Lock()
		conns = append(conns, conn)
		mu.Unlock()
		go func() { // an idle desktop still reads: pings and presence events
			for {
				if _, _, err := conn.Read(readCtx); err != nil {
					if readCtx.Err() == nil {
						errs.Add("agent socket closed: " + websocket.CloseStatus(err).String())
					}
					return
				}
			}
		}()
		return nil
	})
	select {
	case <-time.After(hold):
	case <-ctx.Done():
		closeAll()
		return nil, nil, ctx.Err()
	}
	if err := settle(ctx, t); err != nil {
		closeAll()
		return nil, nil, err
	}
	after, err := t.usage(ctx)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	res.Opened = int(opened.Load())
	res.Dial = dials.Summary()
	res.RSSAfter, res.HeapAfter, res.StackAfter = after.RSS, after.HeapInuse, after.StackInuse
	if res.Opened > 0 {
		n := float64(res.Opened)
		res.BytesPerSocket = float64(res.RSSAfter-res.RSSBefore) / n
		res.HeapPerSocket = float64(res.HeapAfter+res.StackAfter-res.HeapBefore-res.StackBefore) / n
	}
	return res, closeAll, nil
}

// settle has the server collect its garbage and return free memory to
// the OS (when it obeys that command), then rest a moment, so what is read
// next is live memory.
func settle(ctx context.Context, t target) error {
	if err := t.control("freemem"); err != nil {
		if errors.Is(err, errNoControl) {
			return nil
		}
		return err
	}
	select {
	case <-time.After(500 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
