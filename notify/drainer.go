package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/dubanhq/duban"
)

// Options set a drainer; zero fields take the defaults.
type Options struct {
	// Owner names this drainer in the leases it takes; unique per server
	// (the default is the host name, the process ID and random digits).
	Owner string
	// Interval is the pause between claims when nothing was due (5 s).
	Interval time.Duration
	// Batch is how many jobs one claim takes (10).
	Batch int
	// Lease is how long a claim holds its jobs (5 min): longer than a
	// batch takes to send at the senders' time limit, so that no job is
	// taken over while it is being sent.
	Lease time.Duration
	// MaxAttempts is how many times a job is tried before it is given up
	// (8).
	MaxAttempts int
	// Backoff is the wait after a job's nth failed attempt (DefaultBackoff).
	Backoff func(attempt int) time.Duration
	// Logger logs what was sent and what failed (slog.Default()).
	Logger *slog.Logger
}

// DefaultBackoff doubles the wait after each failure from one minute, up to
// six hours: 1, 2, 4, 8, 16, 32 minutes, then 1 h 4 min… so that eight
// attempts span about four hours, within a working day.
func DefaultBackoff(attempt int) time.Duration {
	const base, most = time.Minute, 6 * time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 20 {
		return most
	}
	return min(base<<(attempt-1), most)
}

// Drainer sends the delivery jobs of one server. Every server runs one;
// the store's leases make sure each job is sent by one of them.
type Drainer struct {
	svc     duban.DeliveryService
	senders *Senders
	opts    Options
	log     *slog.Logger
}

// NewDrainer returns a drainer of the jobs of svc, sending with senders.
func NewDrainer(svc duban.DeliveryService, senders *Senders, opts Options) *Drainer {
	if opts.Owner == "" {
		host, _ := os.Hostname()
		r := make([]byte, 4)
		rand.Read(r)
		opts.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(r))
	}
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	if opts.Batch <= 0 {
		opts.Batch = 10
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Drainer{svc: svc, senders: senders, opts: opts, log: opts.Logger.With("drainer", opts.Owner)}
}

// Owner is the name this drainer leases jobs under.
func (d *Drainer) Owner() string { return d.opts.Owner }

// Start drains in the background until ctx ends, and returns a channel
// closed when it has stopped. A claim that fails (the database away) is
// logged and tried again after the interval.
func (d *Drainer) Start(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		timer := time.NewTimer(0)
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
			n, err := d.DrainOnce(ctx)
			if err != nil && ctx.Err() == nil {
				d.log.Error("notify: claiming delivery jobs", "err", err)
			}
			wait := d.opts.Interval
			if err == nil && n >= d.opts.Batch {
				wait = 0 // more may be due
			}
			timer.Reset(wait)
		}
	}()
	return done
}

// DrainOnce claims one batch of due jobs, sends them and records how each
// went; it returns how many jobs it claimed. The jobs due for one robot go
// out as one message.
func (d *Drainer) DrainOnce(ctx context.Context) (int, error) {
	jobs, err := d.svc.ClaimDeliveries(ctx, duban.DeliveryClaim{Owner: d.opts.Owner, Limit: d.opts.Batch, Lease: d.opts.Lease})
	if err != nil {
		return 0, err
	}
	for _, group := range groupForSending(jobs, d.opts.MaxAttempts) {
		if ctx.Err() != nil {
			d.release(ctx, group)
			continue
		}
		d.sendGroup(ctx, group, false)
	}
	return len(jobs), nil
}

// groupForSending puts the jobs of each robot together, in the order their
// first job was claimed; every other job goes alone, and so does a job past
// its attempts, which is given up without sending.
func groupForSending(jobs []*duban.Delivery, maxAttempts int) [][]*duban.Delivery {
	var groups [][]*duban.Delivery
	robot := map[int64]int{}
	for _, j := range jobs {
		if j.Channel != nil && j.Channel.Kind.IsRobot() && j.Attempts <= maxAttempts {
			if i, ok := robot[j.ChannelID]; ok {
				groups[i] = append(groups[i], j)
				continue
			}
			robot[j.ChannelID] = len(groups)
		}
		groups = append(groups, []*duban.Delivery{j})
	}
	return groups
}

// sendGroup sends jobs of one channel as one message and records the
// outcome on each. A test is sent whether the channel is enabled or not,
// and is not tried again.
func (d *Drainer) sendGroup(ctx context.Context, jobs []*duban.Delivery, test bool) []*duban.Delivery {
	first := jobs[0]
	var f *Failure
	switch ch := first.Channel; {
	case ch == nil:
		f = permanent(nil, "发送渠道已删除，未发送。")
	case !ch.Enabled && !test:
		f = permanent(nil, "发送渠道已停用，未发送。")
	case first.Attempts > d.opts.MaxAttempts:
		// Claimed again and again by servers that stopped before they said
		// how it went: it may have been sent; it is not tried once more.
		f = permanent(nil, "已尝试 %d 次仍未确认结果，不再重发：请查看接收方是否已收到。", d.opts.MaxAttempts)
	default:
		ms := make([]*Message, len(jobs))
		for i, j := range jobs {
			ms[i] = messageOf(j)
		}
		if err := d.senders.Send(ctx, ch, Digest(ms)); err != nil {
			f = AsFailure(err)
		}
	}
	// The outcome is recorded even when ctx ended meanwhile (the server
	// stopping): what was sent must not be sent again.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	out := make([]*duban.Delivery, 0, len(jobs))
	for _, j := range jobs {
		var got *duban.Delivery
		var err error
		var final bool
		if f == nil {
			got, err = d.svc.MarkDeliverySent(mctx, j.ID, d.opts.Owner)
		} else {
			final = test || !f.Retry || j.Attempts >= d.opts.MaxAttempts
			wait := max(d.opts.Backoff(j.Attempts), f.After)
			got, err = d.svc.MarkDeliveryFailed(mctx, j.ID, d.opts.Owner, duban.DeliveryFailure{Reason: f.Reason, RetryIn: wait, Final: final})
		}
		switch {
		case err != nil:
			d.log.Error("notify: recording a delivery", "delivery", j.ID, "err", err)
			continue
		case f == nil:
			d.log.Info("notify: sent", "delivery", j.ID, "channel", j.ChannelName, "event", j.Event, "attempt", j.Attempts)
		default:
			d.log.Warn("notify: not sent", "delivery", j.ID, "channel", j.ChannelName, "event", j.Event, "attempt", j.Attempts,
				"final", final, "reason", f.Reason, "err", f.Err)
		}
		out = append(out, got)
	}
	return out
}

// release gives back jobs claimed but not sent as the server stops, due at
// once for another server.
func (d *Drainer) release(ctx context.Context, jobs []*duban.Delivery) {
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for _, j := range jobs {
		if _, err := d.svc.MarkDeliveryFailed(mctx, j.ID, d.opts.Owner, duban.DeliveryFailure{Reason: "服务器停止时尚未发送，将由其他服务器发送。"}); err != nil {
			d.log.Error("notify: releasing a delivery", "delivery", j.ID, "err", err)
		}
	}
}

// SendTest sends a test message through a channel at once, enabled or not,
// and returns its job as recorded: sent, or failed with the reason. The
// test is in the delivery log like every message. It is the office's.
func (d *Drainer) SendTest(ctx context.Context, channelID int64) (*duban.Delivery, error) {
	u, err := duban.Authorize(ctx, "测试发送渠道", duban.CanManageChannels)
	if err != nil {
		return nil, err
	}
	ch, err := d.svc.FindChannelByID(ctx, channelID)
	if err != nil {
		return nil, err
	}
	now := d.senders.now()
	r := make([]byte, 6)
	rand.Read(r)
	job := &duban.Delivery{
		ChannelID: ch.ID, Event: "test",
		Key:     fmt.Sprintf("test:%d:%s:%s", ch.ID, now.UTC().Format("20060102T150405"), hex.EncodeToString(r)),
		Subject: "【督办系统】测试消息",
		Body: fmt.Sprintf("这是一条测试消息，用于确认“%s”能收到督办系统的提醒。\n发送人：%s\n发送时间：%s",
			ch.Name, u.Label(), now.In(beijing).Format("2006年1月2日 15:04")),
		// Not due before this drainer has sent it, so that no other takes it.
		NextAttemptAt: now.Add(d.opts.Lease),
	}
	if _, err := d.svc.EnqueueDelivery(ctx, job); err != nil {
		return nil, err
	}
	claimed, err := d.svc.ClaimDelivery(ctx, job.ID, duban.DeliveryClaim{Owner: d.opts.Owner, Lease: d.opts.Lease})
	if err != nil {
		return nil, err
	}
	out := d.sendGroup(ctx, []*duban.Delivery{claimed}, true)
	if len(out) == 0 {
		return nil, fmt.Errorf("notify: the test delivery %d was not recorded", job.ID)
	}
	return out[0], nil
}

// beijing is China Standard Time, the time the office reads.
var beijing = time.FixedZone("CST", 8*3600)
