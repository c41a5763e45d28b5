package commands

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progressDelay is how long a batch runs before the progress bar appears,
// so that short runs print nothing but the summary.
const progressDelay = time.Second

// progress draws a bar on stderr while a batch run reads, signs and
// writes tokens. Each token counts twice: once when signed, once when
// written. A nil *progress draws nothing.
type progress struct {
	total int64
	done  atomic.Int64

	stopped chan struct{}
	wg      sync.WaitGroup
}

// startProgress returns a progress bar for tokens tokens, or nil when
// stderr is not a terminal or -q is given.
func (e *env) startProgress(tokens int) *progress {
	f, ok := e.stderr.(*os.File)
	if e.quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}

	p := &progress{total: 2 * int64(tokens), stopped: make(chan struct{})}
	p.wg.Go(func() { p.draw(f, tokens) })
	return p
}

func (p *progress) draw(f *os.File, tokens int) {
	select {
	case <-time.After(progressDelay):
	case <-p.stopped:
		return
	}

	const width = 30
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	for {
		done := p.done.Load()
		filled := int(done * width / p.total)
		fmt.Fprintf(f, "\rpxauth: [%s%s] %3d%% of %d tokens",
			strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done*100/p.total, tokens)

		select {
		case <-ticker.C:
		case <-p.stopped:
			// Erase the bar so that the summary line starts clean.
			fmt.Fprint(f, "\r\033[K")
			return
		}
	}
}

// add counts one finished step.
func (p *progress) add() {
	if p != nil {
		p.done.Add(1)
	}
}

// stop erases the bar, if one was drawn, and waits until it is gone.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.stopped)
	p.wg.Wait()
}
