package cyclestore

import (
	"fmt"
	"strings"

	"github.com/dubanhq/duban"
)

// outbound is a message of the cycle to send through the channels that
// carry what concerns a unit in a plan (a reminder, an urge, a supervision
// notice), enqueued in the transaction of the change that causes it.
type outbound struct {
	Event   string
	UnitID  int64
	PlanID  int64
	Subject string
	Body    string
	// Path is the page the message is about (/tasks/12), linked when the
	// server's address is known.
	Path string
	// Key names the message once-only on a channel: a second job with the
	// same key is never made, whichever server tries.
	Key func(ch *duban.Channel) string
}

// channelTarget names a channel in a once-only key.
func channelTarget(ch *duban.Channel) string { return fmt.Sprintf("channel:%d", ch.ID) }

// link returns the address of a page of the site for a message, or "" when
// the site's address is not set.
func (b *base) link(path string) string {
	if b.Site == "" || path == "" {
		return ""
	}
	return strings.TrimRight(b.Site, "/") + path
}

// enqueue puts m on each channel in chs under its key and returns how many
// jobs it added; a job already made under the key is left as it is.
func (b *base) enqueue(tx *Tx, chs []*duban.Channel, m *outbound) (int, error) {
	n := 0
	for _, ch := range chs {
		ok, err := tx.EnqueueDelivery(&duban.Delivery{ChannelID: ch.ID, Key: m.Key(ch), Event: m.Event, UnitID: m.UnitID,
			PlanID: m.PlanID, Subject: m.Subject, Body: m.Body, Link: b.link(m.Path)})
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// send enqueues m on every channel that carries what concerns its unit in
// its plan, and returns how many jobs it added.
func (b *base) send(tx *Tx, m *outbound) (int, error) {
	chs, err := tx.ChannelsFor(m.UnitID, m.PlanID)
	if err != nil {
		return 0, err
	}
	return b.enqueue(tx, chs, m)
}
