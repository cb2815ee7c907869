package cyclestore_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/notify/notifytest"
	"github.com/dubanhq/duban/sqldb"
)

// outside is the world outside duban that the year walk's messages reach,
// through real protocol endpoints checking formats and signatures: the
// office's system behind a signed webhook (every message of the plan), the
// WeCom group robot of 区财政局, the signed DingTalk robot of 区科学技术局
// and the mailbox of 区人力资源和社会保障局 over STARTTLS; and the drainer
// that sends to them.
type outside struct {
	w       *world
	hook    *notifytest.Endpoint
	wecom   *notifytest.Endpoint
	ding    *notifytest.Endpoint
	mail    *notifytest.MailServer
	drainer *notify.Drainer
	// units are the units with a channel of their own, by name, and what
	// each has received so far.
	units map[string]func() []string
}

const (
	yearHookSecret   = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	yearWeComKey     = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	yearDingToken    = "a1b2c3d4e5"
	yearDingSecret   = "SEC1f6d1e5b8d5b7c0a3c1e6f0b5a0d7e2f3c4b5a69788796a5b4c3d2e1f0a9b8"
	yearMailUser     = "duban@lixia.gov.cn"
	yearMailPassword = "授权码-1234"
)

func newOutside(t *testing.T, w *world) *outside {
	t.Helper()
	o := &outside{w: w,
		hook:  notifytest.WebhookReceiver(t, w.clock.Now, yearHookSecret),
		wecom: notifytest.WeComRobot(t, w.clock.Now, yearWeComKey),
		ding:  notifytest.DingTalkRobot(t, w.clock.Now, yearDingToken, yearDingSecret),
	}
	mail, pool := notifytest.NewMailServer(t, yearMailUser, yearMailPassword)
	o.mail = mail
	deliveries := sqldb.NewDeliveryService(w.db)
	for _, c := range []*duban.Channel{
		{Name: "督查室接口", Kind: duban.ChannelWebhook, URL: o.hook.URL + "/duban", Secret: yearHookSecret, PlanID: w.plan.ID},
		{Name: "区财政局工作群", Kind: duban.ChannelWeCom, URL: o.wecom.URL + "/cgi-bin/webhook/send?key=" + yearWeComKey, UnitID: w.units["区财政局"]},
		{Name: "区科技局工作群", Kind: duban.ChannelDingTalk, URL: o.ding.URL + "/robot/send?access_token=" + yearDingToken,
			Secret: yearDingSecret, UnitID: w.units["区科学技术局"]},
		{Name: "区人社局邮箱", Kind: duban.ChannelEmail, SMTPAddr: o.mail.Addr(), Username: yearMailUser, Secret: yearMailPassword,
			From: "历下区督查室 <duban@lixia.gov.cn>", To: []string{"区人社局 <rsj@lixia.gov.cn>"}, UnitID: w.units["区人力资源和社会保障局"]},
	} {
		c.Enabled = true
		if err := deliveries.CreateChannel(as(office), c); err != nil {
			t.Fatal(err)
		}
	}
	o.drainer = notify.NewDrainer(deliveries, &notify.Senders{Now: w.clock.Now, RootCAs: pool, Timeout: 5 * time.Second}, notify.Options{Owner: "year", Batch: 500,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	robot := func(e *notifytest.Endpoint) func() []string {
		return func() []string {
			var out []string
			for _, m := range e.Received() {
				out = append(out, m.Subject)
			}
			return out
		}
	}
	o.units = map[string]func() []string{
		"区财政局":   robot(o.wecom),
		"区科学技术局": robot(o.ding),
		"区人力资源和社会保障局": func() []string {
			var out []string
			for _, m := range o.mail.Received() {
				s, err := m.Subject()
				if err != nil {
					t.Errorf("a mail's subject: %v", err)
				}
				out = append(out, s)
			}
			return out
		},
	}
	return o
}

// drain sends every message due.
func (o *outside) drain(t *testing.T) {
	t.Helper()
	for {
		n, err := o.drainer.DrainOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// remind sends today's reminders, in the bell and outside, and checks that
// each went once where it should: every unit's to the office's webhook,
// the three units' to their own channels with their subjects; and that
// sending again the same day sends nothing. It returns the reminders.
func (o *outside) remind(t *testing.T, when string) []cycle.Reminder {
	t.Helper()
	due, err := o.w.reminders.FindReminders(as(office))
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]int{}
	for name, got := range o.units {
		before[name] = len(got())
	}
	hooked := len(o.hook.Received())
	n, err := o.w.reminders.SendReminders(as(office))
	if err != nil || n != len(due) || n == 0 {
		t.Fatalf("%s: %d reminders added (%v), want the %d due", when, n, err, len(due))
	}
	o.drain(t)
	if again, err := o.w.reminders.SendReminders(as(office)); err != nil || again != 0 {
		t.Errorf("%s, again: %d reminders (%v), want none", when, again, err)
	}
	o.drain(t)
	if got := len(o.hook.Received()) - hooked; got != len(due) {
		t.Errorf("%s: the office's webhook got %d messages, want the %d reminders", when, got, len(due))
	}
	today := duban.Today(o.w.clock.Now())
	for name, got := range o.units {
		var want []string
		for _, r := range due {
			if r.UnitID == o.w.units[name] {
				want = append(want, r.Subject(name, today))
			}
		}
		if news := got()[before[name]:]; strings.Join(news, "|") != strings.Join(want, "|") {
			t.Errorf("%s: %s's channel got %q, want %q", when, name, news, want)
		}
	}
	return due
}

// lastTo returns the body of the last message a unit's robot received.
func (o *outside) lastTo(unit string) string {
	e := map[string]*notifytest.Endpoint{"区财政局": o.wecom, "区科学技术局": o.ding}[unit]
	got := e.Received()
	if len(got) == 0 {
		return ""
	}
	return got[len(got)-1].Body
}

// check checks at the year's end that nothing failed or waits, and that the
// webhook got every message once.
func (o *outside) check(t *testing.T) {
	t.Helper()
	o.drain(t)
	for _, st := range []duban.DeliveryState{duban.DeliveryFailed, duban.DeliveryPending, duban.DeliverySending} {
		jobs, n, err := sqldb.NewDeliveryService(o.w.db).FindDeliveries(as(office), duban.DeliveryFilter{State: &st, Limit: 3})
		if err != nil || n != 0 {
			t.Errorf("deliveries %s at the year's end: %d (%v) %v", st, n, err, fmt.Sprint(jobs))
		}
	}
	keys := map[string]int{}
	for _, m := range o.hook.Received() {
		keys[m.Key]++
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("the webhook got %s %d times", k, n)
		}
	}
	t.Logf("outside: the webhook got %d messages, 区财政局's robot %d, 区科学技术局's %d, 区人社局's mailbox %d",
		len(o.hook.Received()), len(o.wecom.Received()), len(o.ding.Received()), len(o.mail.Received()))
}
