package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/notify/notifytest"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

var (
	office = &duban.User{ID: 1000, Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}
	viewer = &duban.User{ID: 2, Name: "viewer", Role: duban.RoleViewer}
)

// clock is the tests' time, moved by hand, safe for several drainers.
type clock = notifytest.Clock

func newClock() *clock { return notifytest.NewClock(time.Date(2022, 7, 20, 1, 0, 0, 0, time.UTC)) }

func as(u *duban.User) context.Context { return duban.NewContextWithUser(context.Background(), u) }

// store is a test database with its DSN, for opening a second handle as a
// second server would.
type store struct {
	db  *sqldb.DB
	dsn string
}

func open(t testing.TB, dsn string, clk *clock) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if clk != nil {
		db.Now = clk.Now
	}
	return db
}

// forEachStore runs a test on a fresh SQLite file and a fresh PostgreSQL
// schema, with the store's clock the test's.
func forEachStore(t *testing.T, test func(t *testing.T, st store, clk *clock)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var dsn string
			if name == "sqlite" {
				dsn = sqldbtest.SQLiteDSN(t)
			} else {
				dsn = sqldbtest.PostgresDSN(t)
			}
			clk := newClock()
			test(t, store{db: open(t, dsn, clk), dsn: dsn}, clk)
		})
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newDrainer(db *sqldb.DB, clk *clock, s *notify.Senders, opts notify.Options) *notify.Drainer {
	if s == nil {
		s = &notify.Senders{}
	}
	s.Now = clk.Now
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	return notify.NewDrainer(sqldb.NewDeliveryService(db), s, opts)
}

func mustChannel(t testing.TB, db *sqldb.DB, c *duban.Channel) *duban.Channel {
	t.Helper()
	if err := sqldb.NewDeliveryService(db).CreateChannel(as(office), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func mustEnqueue(t testing.TB, db *sqldb.DB, channelID int64, key, subject string) *duban.Delivery {
	t.Helper()
	d := &duban.Delivery{ChannelID: channelID, Key: key, Event: "reminder", Subject: subject,
		Body: "任务 1.2.3 的本月进展情况尚未报送，请于 7 月 25 日前报送。", Link: "https://duban.lixia.gov.cn/todo"}
	if ok, err := sqldb.NewDeliveryService(db).EnqueueDelivery(context.Background(), d); err != nil || !ok {
		t.Fatalf("enqueue %s: %v, %v", key, ok, err)
	}
	return d
}

func mustFind(t testing.TB, db *sqldb.DB, key string) *duban.Delivery {
	t.Helper()
	ds, _, err := sqldb.NewDeliveryService(db).FindDeliveries(as(office), duban.DeliveryFilter{Key: &key})
	if err != nil || len(ds) != 1 {
		t.Fatalf("find %s: %v, %v", key, ds, err)
	}
	return ds[0]
}

func drain(t testing.TB, d *notify.Drainer) int {
	t.Helper()
	n, err := d.DrainOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDrainerBackoff fails a job against a receiver that errs until it
// gives up: each wait doubles from a minute, nothing is tried before its
// time, and the last attempt leaves it failed with the reason.
func TestDrainerBackoff(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store, clk *clock) {
		hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
		hook.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "维护中", http.StatusServiceUnavailable)
			return true
		})
		ch := mustChannel(t, st.db, &duban.Channel{Name: "接口", Kind: duban.ChannelWebhook, URL: hook.URL, Secret: hookSecret, Enabled: true})
		mustEnqueue(t, st.db, ch.ID, "k", "提醒")
		d := newDrainer(st.db, clk, nil, notify.Options{MaxAttempts: 5})
		for attempt, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
			if n := drain(t, d); n != 1 {
				t.Fatalf("attempt %d: claimed %d jobs, want 1", attempt+1, n)
			}
			job := mustFind(t, st.db, "k")
			if job.State != duban.DeliveryPending || job.Attempts != attempt+1 || !job.NextAttemptAt.Equal(clk.Now().Add(wait)) ||
				!strings.Contains(job.LastError, "HTTP 503") {
				t.Fatalf("after attempt %d: got %s, %d attempts, next in %v, %q; want pending, next in %v",
					attempt+1, job.State, job.Attempts, job.NextAttemptAt.Sub(clk.Now()), job.LastError, wait)
			}
			clk.Advance(wait - time.Second)
			if n := drain(t, d); n != 0 {
				t.Fatalf("a second before attempt %d is due: claimed %d", attempt+2, n)
			}
			clk.Advance(time.Second)
		}
		drain(t, d)
		job := mustFind(t, st.db, "k")
		if job.State != duban.DeliveryFailed || job.Attempts != 5 || !strings.Contains(job.LastError, "对方服务器出错") {
			t.Errorf("after the last attempt: got %+v, want failed after 5", job)
		}
		clk.Advance(24 * time.Hour)
		if n := drain(t, d); n != 0 || hook.Requests() != 5 {
			t.Errorf("after giving up: claimed %d, %d requests in all; want 0 and 5", n, hook.Requests())
		}
	})
}

// TestDrainerOutcomes sends to each kind of channel at once: sent jobs are
// sent, a wrong secret fails at once without retries, throttling waits as
// long as the robot says, a disabled channel sends nothing, and the jobs of
// one robot go as one message.
func TestDrainerOutcomes(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store, clk *clock) {
		hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
		wecom := notifytest.WeComRobot(t, clk.Now, wecomKey)
		ding := notifytest.DingTalkRobot(t, clk.Now, dingtalkToken, dingtalkSecret)
		mailer, pool := notifytest.NewMailServer(t, "duban@lixia.gov.cn", "授权码-1234")
		chHook := mustChannel(t, st.db, &duban.Channel{Name: "接口", Kind: duban.ChannelWebhook, URL: hook.URL, Secret: hookSecret, Enabled: true})
		chWrong := mustChannel(t, st.db, &duban.Channel{Name: "密钥错误", Kind: duban.ChannelWebhook, URL: hook.URL, Enabled: true})
		chWeCom := mustChannel(t, st.db, &duban.Channel{Name: "财政局群", Kind: duban.ChannelWeCom, URL: wecom.URL + "/send?key=" + wecomKey, Enabled: true})
		chDing := mustChannel(t, st.db, &duban.Channel{Name: "督查室群", Kind: duban.ChannelDingTalk, URL: ding.URL + "/robot/send?access_token=" + dingtalkToken,
			Secret: dingtalkSecret, Enabled: true})
		mc := mailChannel(mailer.Addr())
		mc.ID = 0
		chMail := mustChannel(t, st.db, mc)
		chOff := mustChannel(t, st.db, &duban.Channel{Name: "停用", Kind: duban.ChannelWeCom, URL: wecom.URL + "/send?key=" + wecomKey, Enabled: false})

		mustEnqueue(t, st.db, chHook.ID, "hook", "提醒一")
		mustEnqueue(t, st.db, chWrong.ID, "wrong", "提醒二")
		for i := range 3 {
			mustEnqueue(t, st.db, chWeCom.ID, fmt.Sprint("wecom", i), fmt.Sprintf("第 %d 项任务待报送", i+1))
		}
		mustEnqueue(t, st.db, chDing.ID, "ding", "提醒三")
		mustEnqueue(t, st.db, chMail.ID, "mail", "邮件提醒")
		mustEnqueue(t, st.db, chOff.ID, "off", "不发")

		d := newDrainer(st.db, clk, &notify.Senders{RootCAs: pool, Timeout: 5 * time.Second}, notify.Options{Batch: 20})
		if n := drain(t, d); n != 8 {
			t.Fatalf("claimed %d jobs, want 8", n)
		}
		for _, key := range []string{"hook", "wecom0", "wecom1", "wecom2", "ding", "mail"} {
			if job := mustFind(t, st.db, key); job.State != duban.DeliverySent || job.SentAt.IsZero() {
				t.Errorf("%s: got %s (%s), want sent", key, job.State, job.LastError)
			}
		}
		if job := mustFind(t, st.db, "wrong"); job.State != duban.DeliveryFailed || !strings.Contains(job.LastError, "签名错误") {
			t.Errorf("wrong secret: got %s, %q, want failed for good, saying why", job.State, job.LastError)
		}
		if job := mustFind(t, st.db, "off"); job.State != duban.DeliveryFailed || !strings.Contains(job.LastError, "已停用") {
			t.Errorf("disabled channel: got %s, %q", job.State, job.LastError)
		}
		if got := wecom.Received(); len(got) != 1 || got[0].Subject != "督办系统消息（3 条）" ||
			!strings.Contains(got[0].Body, "第 1 项任务待报送") || !strings.Contains(got[0].Body, "第 3 项任务待报送") {
			t.Errorf("WeCom got %+v, want one message with the three", got)
		}
		if got := hook.Received(); len(got) != 1 || got[0].Subject != "提醒一" {
			t.Errorf("webhook got %+v", got)
		}
		if got := ding.Received(); len(got) != 1 || got[0].Subject != "提醒三" {
			t.Errorf("DingTalk got %+v", got)
		}
		if got := mailer.Received(); len(got) != 1 {
			t.Errorf("mail server got %d mails, want 1", len(got))
		}

		// Throttled: the robot's ten minutes, not the first minute of back-off.
		ding.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
			notifytest.RobotAnswer(w, 130101, "send too fast, exceed 20 times per minute")
			return true
		})
		mustEnqueue(t, st.db, chDing.ID, "ding2", "提醒四")
		drain(t, d)
		job := mustFind(t, st.db, "ding2")
		if job.State != duban.DeliveryPending || job.NextAttemptAt.Sub(clk.Now()) != 10*time.Minute || !strings.Contains(job.LastError, "被限流") {
			t.Errorf("throttled: got %s, next in %v, %q; want pending for ten minutes", job.State, job.NextAttemptAt.Sub(clk.Now()), job.LastError)
		}
		ding.SetAnswer(nil)
		clk.Advance(10 * time.Minute)
		drain(t, d)
		if job := mustFind(t, st.db, "ding2"); job.State != duban.DeliverySent || job.Attempts != 2 {
			t.Errorf("after the throttle: got %s after %d attempts, want sent after 2", job.State, job.Attempts)
		}
	})
}

// TestDrainerCrashedServer claims jobs for a server that stops before it
// sends them: once their lease runs out, another server sends them, once.
func TestDrainerCrashedServer(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store, clk *clock) {
		hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
		ch := mustChannel(t, st.db, &duban.Channel{Name: "接口", Kind: duban.ChannelWebhook, URL: hook.URL, Secret: hookSecret, Enabled: true})
		for i := range 3 {
			mustEnqueue(t, st.db, ch.ID, fmt.Sprint(i), "提醒")
		}
		crashed, err := sqldb.NewDeliveryService(st.db).ClaimDeliveries(context.Background(), duban.DeliveryClaim{Owner: "crashed", Limit: 10, Lease: 5 * time.Minute})
		if err != nil || len(crashed) != 3 {
			t.Fatalf("claimed %d (%v)", len(crashed), err)
		}
		other := newDrainer(open(t, st.dsn, clk), clk, nil, notify.Options{Lease: 5 * time.Minute})
		if n := drain(t, other); n != 0 {
			t.Errorf("while leased: the other server claimed %d", n)
		}
		clk.Advance(5 * time.Minute)
		if n := drain(t, other); n != 3 {
			t.Errorf("lease run out: the other server claimed %d, want 3", n)
		}
		if got := hook.Received(); len(got) != 3 {
			t.Errorf("received %d, want 3", len(got))
		}
		for i := range 3 {
			if job := mustFind(t, st.db, fmt.Sprint(i)); job.State != duban.DeliverySent || job.LeaseOwner != other.Owner() || job.Attempts != 2 {
				t.Errorf("job %d: got %+v", i, job)
			}
		}
	})
}

// TestDrainerGivesUpUnconfirmed claims a job for servers that stop before
// they say how it went, more often than a job is tried: it may have been
// sent, so it is given up rather than sent once more.
func TestDrainerGivesUpUnconfirmed(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store, clk *clock) {
		robot := notifytest.WeComRobot(t, clk.Now, wecomKey)
		ch := mustChannel(t, st.db, &duban.Channel{Name: "群", Kind: duban.ChannelWeCom, URL: robot.URL + "/send?key=" + wecomKey, Enabled: true})
		mustEnqueue(t, st.db, ch.ID, "stuck", "提醒")
		for range 2 {
			if _, err := sqldb.NewDeliveryService(st.db).ClaimDeliveries(context.Background(), duban.DeliveryClaim{Owner: "crashing", Limit: 1, Lease: time.Minute}); err != nil {
				t.Fatal(err)
			}
			clk.Advance(time.Minute)
		}
		mustEnqueue(t, st.db, ch.ID, "fresh", "新提醒")
		drain(t, newDrainer(st.db, clk, nil, notify.Options{MaxAttempts: 2}))
		if job := mustFind(t, st.db, "stuck"); job.State != duban.DeliveryFailed || !strings.Contains(job.LastError, "未确认结果") {
			t.Errorf("job claimed past its attempts: got %s, %q", job.State, job.LastError)
		}
		if job := mustFind(t, st.db, "fresh"); job.State != duban.DeliverySent {
			t.Errorf("the robot's other job: got %s, want sent", job.State)
		}
		if got := robot.Received(); len(got) != 1 || got[0].Subject != "新提醒" {
			t.Errorf("robot got %+v, want the fresh job alone", got)
		}
	})
}

// TestDrainersTwoServers drains 200 jobs with two servers on one database,
// each with two drainers at once: the receiver counts every message
// exactly once.
func TestDrainersTwoServers(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store, clk *clock) {
		hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
		ch := mustChannel(t, st.db, &duban.Channel{Name: "接口", Kind: duban.ChannelWebhook, URL: hook.URL, Secret: hookSecret, Enabled: true})
		const jobs = 200
		for i := range jobs {
			mustEnqueue(t, st.db, ch.ID, fmt.Sprint("reminder:", i), fmt.Sprintf("提醒 %d", i))
		}
		second := open(t, st.dsn, clk)
		var wg sync.WaitGroup
		claimed := make([]int, 4)
		for i, db := range []*sqldb.DB{st.db, second, st.db, second} {
			d := newDrainer(db, clk, nil, notify.Options{Owner: fmt.Sprint("server-", i), Batch: 7})
			wg.Go(func() {
				for {
					n, err := d.DrainOnce(context.Background())
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
					claimed[i] += n
				}
			})
		}
		wg.Wait()
		t.Logf("%s: jobs claimed by each drainer: %v", st.db.Dialect(), claimed)
		counts := map[string]int{}
		for _, r := range hook.Received() {
			counts[r.ID]++
		}
		if len(counts) != jobs {
			t.Errorf("received %d different messages, want %d", len(counts), jobs)
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("message %s received %d times, want once", id, n)
			}
		}
		sent := duban.DeliverySent
		if _, total, err := sqldb.NewDeliveryService(st.db).FindDeliveries(as(office), duban.DeliveryFilter{State: &sent}); err != nil || total != jobs {
			t.Errorf("jobs recorded sent: %d (%v), want %d", total, err, jobs)
		}
	})
}

// TestSendTest sends a test through a channel at once and reads its
// outcome, sent or failed with the reason; only the office may.
func TestSendTest(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store, clk *clock) {
		robot := notifytest.WeComRobot(t, clk.Now, wecomKey)
		ch := mustChannel(t, st.db, &duban.Channel{Name: "财政局群", Kind: duban.ChannelWeCom, URL: robot.URL + "/send?key=" + wecomKey})
		d := newDrainer(st.db, clk, nil, notify.Options{})
		got, err := d.SendTest(as(office), ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != duban.DeliverySent || got.Event != "test" || got.Attempts != 1 {
			t.Errorf("test of a channel not yet enabled: got %s (%s), want sent", got.State, got.LastError)
		}
		if r := robot.Received(); len(r) != 1 || r[0].Subject != "【督办系统】测试消息" || !strings.Contains(r[0].Body, "“财政局群”") ||
			!strings.Contains(r[0].Body, "发送人：督查室") {
			t.Errorf("robot got %+v", r)
		}
		if n := drain(t, d); n != 0 {
			t.Errorf("the drainer claimed %d after the test, want 0", n)
		}

		robot.SetAnswer(func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		})
		got, err = d.SendTest(as(office), ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != duban.DeliveryFailed || !strings.Contains(got.LastError, "HTTP 503") {
			t.Errorf("failed test: got %s, %q, want failed at once with the reason", got.State, got.LastError)
		}
		_, err = d.SendTest(as(viewer), ch.ID)
		if duban.ErrorCode(err) != duban.EFORBIDDEN {
			t.Errorf("a viewer's test: got %v, want forbidden", err)
		}
		_, err = d.SendTest(as(office), 9999)
		if duban.ErrorCode(err) != duban.ENOTFOUND {
			t.Errorf("test of no channel: got %v, want not found", err)
		}
	})
}

// TestDrainerStart runs the drainer as the server does and stops it.
func TestDrainerStart(t *testing.T) {
	clk := newClock()
	db := open(t, sqldbtest.SQLiteDSN(t), clk)
	hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
	ch := mustChannel(t, db, &duban.Channel{Name: "接口", Kind: duban.ChannelWebhook, URL: hook.URL, Secret: hookSecret, Enabled: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := newDrainer(db, clk, nil, notify.Options{Interval: 10 * time.Millisecond}).Start(ctx)
	for i := range 3 {
		mustEnqueue(t, db, ch.ID, fmt.Sprint(i), "提醒")
	}
	for deadline := time.Now().Add(20 * time.Second); len(hook.Received()) < 3 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if got := hook.Received(); len(got) != 3 {
		t.Errorf("received %d while running, want 3", len(got))
	}
	mustEnqueue(t, db, ch.ID, "after", "提醒")
	time.Sleep(50 * time.Millisecond)
	if job := mustFind(t, db, "after"); job.State != duban.DeliveryPending {
		t.Errorf("after stopping: a job went %s, want pending", job.State)
	}
}
