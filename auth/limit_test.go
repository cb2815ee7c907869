package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

// TestBusy: when every slot is hashing and the queue is full, a password
// is refused at once as too many (with when to retry) rather than queued
// without bound; a password that waits longer than the bound for a slot
// is refused too; once a slot frees, hashing works again.
func TestBusy(t *testing.T) {
	h := NewHasher(Params{Time: 1, Memory: 64, Threads: 1})
	for range cap(h.slots) {
		h.slots <- struct{}{} // a hash in progress in every slot
	}
	done := make(chan error, 1)
	go func() {
		_, err := h.Hash("a password")
		done <- err
	}()
	select {
	case err := <-done:
		var ra duban.RetryAfter
		if duban.ErrorCode(err) != duban.ETOOMANY || !errors.As(err, &ra) || ra <= 0 {
			t.Errorf("with every slot taken: got %v, want too many with a time to retry", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("with every slot taken, Hash did not return: a flood of sign-ins queues without bound")
	}
	for range cap(h.slots) {
		<-h.slots
	}
	// With the queue full, a password is refused without waiting.
	for range cap(h.queue) {
		h.queue <- struct{}{}
	}
	if _, err := h.Verify("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5aw", "a password"); duban.ErrorCode(err) != duban.ETOOMANY {
		t.Errorf("with the queue full: got %v, want too many", err)
	}
	for range cap(h.queue) {
		<-h.queue
	}
	if _, err := h.Hash("a password"); err != nil {
		t.Errorf("with the slots free: %v", err)
	}
}
