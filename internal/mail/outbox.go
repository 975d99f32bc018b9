package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// DefaultRetryDelays are the waits before each retry of a failed delivery: a message is
// tried at once and then up to five more times over about thirteen minutes.
var DefaultRetryDelays = []time.Duration{
	time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute,
}

// MaxQueued caps the messages an Outbox holds; Enqueue drops and logs any beyond it.
const MaxQueued = 1000

// attemptTimeout bounds one call to Sender.Send, whatever the sender's own timeout.
const attemptTimeout = 2 * time.Minute

// Outbox delivers messages in the background, one at a time, retrying failures with
// growing delays. It is safe for concurrent use. Failures are logged with the recipient's
// domain only; subjects and bodies are never logged.
type Outbox struct {
	sender Sender
	logger *slog.Logger

	mu      sync.Mutex
	queue   []*pending
	delays  []time.Duration
	sending int
	closing bool
	aborted int

	wake   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

// pending is a queued message and its delivery state.
type pending struct {
	msg      Message
	failures int
	due      time.Time
}

// NewOutbox starts an Outbox that delivers through sender and logs to logger (nil discards
// the log). Stop it with Close.
func NewOutbox(sender Sender, logger *slog.Logger) *Outbox {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := &Outbox{
		sender: sender,
		logger: logger,
		delays: slices.Clone(DefaultRetryDelays),
		wake:   make(chan struct{}, 1),
		ctx:    ctx,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	go o.run()
	return o
}

// SetRetryDelays replaces the waits before each retry; len(delays) is the number of
// retries. Tests use it to shorten the default schedule. It applies to failures from now on.
func (o *Outbox) SetRetryDelays(delays []time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.delays = slices.Clone(delays)
}

// Enqueue queues m for delivery and returns at once. After Close, or when MaxQueued
// messages are waiting, m is dropped and the drop is logged.
func (o *Outbox) Enqueue(m Message) {
	o.mu.Lock()
	reason := ""
	switch {
	case o.closing:
		reason = "outbox closed"
	case len(o.queue)+o.sending >= MaxQueued:
		reason = "outbox full"
	default:
		o.queue = append(o.queue, &pending{msg: m, due: time.Now()})
	}
	o.mu.Unlock()

	if reason != "" {
		o.logger.Error("mail dropped", "recipient_domain", recipientDomain(m.To),
			"reason", reason)
		return
	}
	o.signal()
}

// Len returns the number of messages not yet delivered or given up, including one being
// sent right now.
func (o *Outbox) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.queue) + o.sending
}

// Close stops accepting messages and drains the queue: messages waiting for a retry are
// tried at once, and a failure is no longer retried. When ctx is done first, Close aborts
// the delivery in progress, drops what is left and returns an error wrapping ctx.Err().
// Close may be called more than once.
func (o *Outbox) Close(ctx context.Context) error {
	o.mu.Lock()
	o.closing = true
	o.mu.Unlock()
	o.signal()

	select {
	case <-o.done:
		return nil
	case <-ctx.Done():
	}

	o.cancel()
	<-o.done

	o.mu.Lock()
	dropped := len(o.queue) + o.aborted
	o.queue = nil
	o.mu.Unlock()

	if dropped == 0 {
		return nil
	}
	o.logger.Error("mail outbox closed with undelivered mail", "count", dropped)
	return fmt.Errorf("close mail outbox: %d messages undelivered: %w", dropped, ctx.Err())
}

// signal wakes the worker without blocking.
func (o *Outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// run is the worker: it delivers due messages and sleeps until the next one is due.
func (o *Outbox) run() {
	defer close(o.done)
	for {
		p, wait, ok := o.next()
		if !ok {
			return
		}
		if p == nil {
			o.sleep(wait)
			continue
		}
		o.deliver(p)
	}
}

// next removes and returns the message due first, or returns how long to wait for it
// (negative: until woken). ok is false when the worker should stop.
func (o *Outbox) next() (p *pending, wait time.Duration, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()

	if o.ctx.Err() != nil || (o.closing && len(o.queue) == 0) {
		return nil, 0, false
	}
	if len(o.queue) == 0 {
		return nil, -1, true
	}

	i := 0
	for j, q := range o.queue {
		if q.due.Before(o.queue[i].due) {
			i = j
		}
	}
	if wait := time.Until(o.queue[i].due); wait > 0 && !o.closing {
		return nil, wait, true
	}

	p = o.queue[i]
	o.queue = slices.Delete(o.queue, i, i+1)
	o.sending++
	return p, 0, true
}

// sleep waits for d (forever when negative), a new message, Close, or giving up.
func (o *Outbox) sleep(d time.Duration) {
	var timeout <-chan time.Time
	if d >= 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		timeout = timer.C
	}

	select {
	case <-timeout:
	case <-o.wake:
	case <-o.ctx.Done():
	}
}

// deliver makes one attempt at p and requeues it or gives it up on failure.
func (o *Outbox) deliver(p *pending) {
	ctx, cancel := context.WithTimeout(o.ctx, attemptTimeout)
	err := o.sender.Send(ctx, p.msg)
	cancel()

	retryIn, retry := o.settle(p, err)
	domain := recipientDomain(p.msg.To)
	switch {
	case err == nil:
		o.logger.Info("mail sent", "recipient_domain", domain)
	case retry:
		o.logger.Warn("mail delivery failed, will retry", "recipient_domain", domain,
			"attempt", p.failures, "retry_in", retryIn, "error", err)
	default:
		o.logger.Error("mail delivery failed, giving up", "recipient_domain", domain,
			"attempt", p.failures, "error", err)
	}
}

// settle records the outcome of an attempt at p and requeues it when it may be retried.
func (o *Outbox) settle(p *pending, err error) (retryIn time.Duration, retry bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sending--

	if err == nil {
		return 0, false
	}
	p.failures++
	if o.ctx.Err() != nil {
		o.aborted++
	}
	if o.closing || errors.Is(err, ErrPermanent) || p.failures > len(o.delays) {
		return 0, false
	}

	retryIn = o.delays[p.failures-1]
	p.due = time.Now().Add(retryIn)
	o.queue = append(o.queue, p)
	return retryIn, true
}
