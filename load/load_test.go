package load_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dubanhq/duban/load"
)

// TestRun counts every answer of a phase, and the ones other than wanted
// by what they were, with what one of them said.
func TestRun(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%4 == 0 {
			http.Error(w, "<html><head><title>x</title></head><main><p>数据库忙，请重试。</p></main></html>", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	var clients []*load.Client
	for range 3 {
		c, err := load.NewClient(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	res := load.Run(context.Background(), load.Phase{Name: "读取", Clients: clients, Duration: 100 * time.Millisecond, Want: 200,
		Request: func(ctx context.Context, c *load.Client, i, n int) (*load.Answer, error) {
			return c.Get(ctx, "/tasks?unit=1")
		}})
	if res.Requests == 0 || int64(res.Requests) != n.Load() {
		t.Fatalf("requests: got %d, the server answered %d", res.Requests, n.Load())
	}
	if got, want := res.Failed(), int(n.Load()/4); got != want || res.Failures["HTTP 503"] != want {
		t.Errorf("failures: got %d %v, want %d answers of HTTP 503", got, res.Failures, want)
	}
	if got := res.Examples["HTTP 503"]; got != "数据库忙，请重试。" {
		t.Errorf("example: got %q", got)
	}
	if res.Rate() <= 0 || res.Percentile(50) > res.Percentile(99) || res.Percentile(99) > res.Max() {
		t.Errorf("figures out of order: %.0f/s, p50 %v, p99 %v, max %v", res.Rate(), res.Percentile(50), res.Percentile(99), res.Max())
	}
}

// TestPercentile takes the nearest rank: the value that p percent of the
// requests took at most.
func TestPercentile(t *testing.T) {
	r := &load.Result{}
	for i := 1; i <= 200; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 100 * time.Millisecond}, {90, 180 * time.Millisecond}, {99, 198 * time.Millisecond}, {99.9, 200 * time.Millisecond}, {100, 200 * time.Millisecond}, {0, time.Millisecond}} {
		if got := r.Percentile(c.p); got != c.want {
			t.Errorf("p%v: got %v, want %v", c.p, got, c.want)
		}
	}
	if got := (&load.Result{}).Percentile(50); got != 0 {
		t.Errorf("no requests: got %v, want 0", got)
	}
}

// TestLogin signs in through the form with the CSRF token of its cookie,
// and says why a refusal was one.
func TestLogin(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			http.SetCookie(w, &http.Cookie{Name: "duban_csrf", Value: "token", Path: "/"})
			return
		}
		r.ParseForm()
		if r.PostForm.Get("csrf") != "token" || r.PostForm.Get("password") != "right" {
			http.Error(w, "登录名或密码不正确。", http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}))
	defer srv.Close()
	c, _ := load.NewClient(srv.URL)
	if err := c.Login(context.Background(), "office", "right"); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := c.Login(context.Background(), "office", "wrong"); err == nil || !strings.Contains(err.Error(), "登录名或密码不正确") {
		t.Errorf("wrong password: got %v, want the server's refusal", err)
	}
}

// TestRunAtRate sends the requests of a steady schedule, however fast the
// server answers, and counts each request's latency from its turn: the
// requests queued behind a slow answer show their wait.
func TestRunAtRate(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("slow") == "1" {
			time.Sleep(50 * time.Millisecond)
		}
		n.Add(1)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	var clients []*load.Client
	for range 2 {
		c, err := load.NewClient(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	// 200 a second for 200 ms: turns every 5 ms, the two clients taking
	// turns, 40 in all, where back to back would send hundreds. Client 0's first answer takes 50 ms, so that its
	// turns at 10, 20, 30 and 40 ms wait at least 40, 30, 20 and 10 ms.
	res := load.Run(context.Background(), load.Phase{Name: "读取", Clients: clients, Duration: 200 * time.Millisecond, Want: 200, Rate: 200,
		Request: func(ctx context.Context, c *load.Client, i, k int) (*load.Answer, error) {
			if i == 0 && k == 0 {
				return c.Get(ctx, "/?slow=1")
			}
			return c.Get(ctx, "/")
		}})
	// A turn a loaded machine reaches after the end is not sent: a few of
	// the last may be missing, never one more.
	if res.Requests > 40 || res.Requests < 30 || int64(res.Requests) != n.Load() {
		t.Fatalf("requests: got %d, the server answered %d, want the 40 of the schedule", res.Requests, n.Load())
	}
	waited := 0
	for _, d := range res.Latencies {
		if d >= 10*time.Millisecond {
			waited++
		}
	}
	if waited < 5 {
		t.Errorf("%d requests took 10 ms or more, want the slow one and at least the 4 behind it: %v", waited, res.Latencies)
	}
}
