// Package notify carries duban's messages out through the channels the
// office sets (a signed generic webhook, WeCom and DingTalk group robots,
// mail over STARTTLS) and drains the table of delivery jobs that every
// server shares: it claims due jobs with a lease, sends them, and records
// each as sent or failed with a reason a clerk understands, trying again
// with back-off when trying again can help.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// Message is what one send carries: one job's message, or for a robot the
// digest of the jobs due for it.
type Message struct {
	// ID names the message for its receiver, the same on every attempt, so
	// that a receiver that got it twice can tell (the webhook-id).
	ID      string
	Event   string
	Key     string
	Subject string
	// Body is plain text, or for a digest the robots' markdown.
	Body   string
	Link   string
	UnitID int64
	PlanID int64
}

// messageOf returns the message of one job.
func messageOf(d *duban.Delivery) *Message {
	return &Message{ID: "msg_" + strconv.FormatInt(d.ID, 10), Event: d.Event, Key: d.Key, Subject: d.Subject,
		Body: d.Body, Link: d.Link, UnitID: d.UnitID, PlanID: d.PlanID}
}

// Failure is why a send failed, in words a 督查室 clerk understands, and
// whether trying again later can help.
type Failure struct {
	Reason string
	Retry  bool
	// After is the least wait before trying again, when the receiver said
	// (a robot that throttles, a Retry-After).
	After time.Duration
	// Err is the cause, for the server's log.
	Err error
}

func (f *Failure) Error() string {
	if f.Err != nil {
		return f.Reason + "（" + f.Err.Error() + "）"
	}
	return f.Reason
}

func (f *Failure) Unwrap() error { return f.Err }

// permanent and retry make failures.
func permanent(err error, format string, args ...any) *Failure {
	return &Failure{Reason: fmt.Sprintf(format, args...), Err: err}
}

func retry(err error, format string, args ...any) *Failure {
	return &Failure{Reason: fmt.Sprintf(format, args...), Retry: true, Err: err}
}

// AsFailure returns err as a Failure; an error that is not one is taken as
// worth retrying, under a general reason.
func AsFailure(err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	return retry(err, "发送失败：%s", duban.ErrorMessage(err))
}

// Sender sends messages through channels of one kind.
type Sender interface {
	Send(ctx context.Context, ch *duban.Channel, m *Message) error
}

// Defaults of Senders.
const (
	DefaultTimeout = 15 * time.Second
	// maxResponse bounds what is read of a receiver's answer.
	maxResponse = 64 << 10
)

// Senders holds what every channel's sender needs: a time limit, the
// certificates to trust and a clock. Its zero value works.
type Senders struct {
	// Timeout bounds one send, connection included (DefaultTimeout).
	Timeout time.Duration
	// RootCAs are the certificate authorities trusted for HTTPS and for
	// mail servers' STARTTLS; nil for the system's.
	RootCAs *x509.CertPool
	// Now is the clock of signatures' timestamps and mail's Date.
	Now func() time.Time
	// HeloName is the name this server gives a mail server ("localhost").
	HeloName string
}

func (s *Senders) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

func (s *Senders) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Senders) tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
}

// For returns the sender of a kind of channel.
func (s *Senders) For(kind duban.ChannelKind) (Sender, error) {
	switch kind {
	case duban.ChannelWebhook:
		return webhookSender{s}, nil
	case duban.ChannelWeCom:
		return wecomSender{s}, nil
	case duban.ChannelDingTalk:
		return dingtalkSender{s}, nil
	case duban.ChannelEmail:
		return smtpSender{s}, nil
	}
	return nil, permanent(nil, "渠道类型 %q 无法发送。", kind)
}

// Send sends a message through a channel with the sender of its kind.
func (s *Senders) Send(ctx context.Context, ch *duban.Channel, m *Message) error {
	sender, err := s.For(ch.Kind)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	return sender.Send(ctx, ch, m)
}

// client returns an HTTP client that follows no redirect (a signed message
// goes where the office said, or nowhere) and goes through the proxy the
// environment names, as an intranet may require.
func (s *Senders) client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             http.ProxyFromEnvironment,
			TLSClientConfig:   &tls.Config{RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12},
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// post sends a JSON body and returns the receiver's answer, at most
// maxResponse bytes of it, or the failure of a send that did not get a 2xx
// answer.
func (s *Senders) post(ctx context.Context, target string, body []byte, header http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		// The error would quote the address, and with it the robot's key.
		return nil, permanent(nil, "地址无法使用：请核对渠道的地址。")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "duban")
	resp, err := s.client().Do(req)
	if err != nil {
		// The address may hold the robot's key: keep the cause without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, transportFailure(ctx, req.URL.Host, s.timeout(), err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil && resp.StatusCode/100 == 2 {
		return nil, transportFailure(ctx, req.URL.Host, s.timeout(), err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusFailure(resp, answer)
	}
	return answer, nil
}

// transportFailure says why a request got no answer.
func transportFailure(ctx context.Context, host string, limit time.Duration, err error) *Failure {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var netErr net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return retry(err, "发送被中止（服务器正在停止），稍后重发。")
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return retry(err, "%s 在 %s 内没有应答（超时）：对方可能繁忙或网络不通，稍后重试。", host, limit)
	case errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr):
		return permanent(err, "%s 的 HTTPS 证书无法验证：请确认地址正确；内网自签的证书需由系统管理员加入本机信任的证书。", host)
	case errors.As(err, &dnsErr):
		return retry(err, "找不到主机 %s：请检查地址中的主机名是否写对、本机能否解析它。", host)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return retry(err, "地址无法连接（%s）：请检查地址和端口是否正确、本机能否访问该服务器。", host)
	}
	return retry(err, "与 %s 的连接中断，稍后重试。", host)
}

// statusFailure says why a receiver refused a message, by its HTTP status.
func statusFailure(resp *http.Response, answer []byte) *Failure {
	code := resp.StatusCode
	err := fmt.Errorf("HTTP %d: %s", code, snippet(answer, 200))
	switch {
	case code == http.StatusTooManyRequests:
		f := retry(err, "被限流：对方要求放慢发送（HTTP 429），稍后自动重发。")
		f.After = retryAfter(resp.Header.Get("Retry-After"))
		return f
	case code == http.StatusRequestTimeout || code/100 == 5:
		return retry(err, "对方服务器出错（HTTP %d），稍后自动重发。", code)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return permanent(err, "签名错误或无权访问（HTTP %d）：请核对密钥，并确认对方系统中保存的是同一密钥。", code)
	case code == http.StatusNotFound || code == http.StatusGone:
		return permanent(err, "地址不存在（HTTP %d）：请核对渠道的地址。", code)
	case code/100 == 3:
		return permanent(err, "地址发生了跳转（HTTP %d，到 %s）：请填写跳转后的地址。", code, duban.RedactURL(resp.Header.Get("Location")))
	}
	return permanent(err, "对方拒收消息（HTTP %d）：%s", code, snippet(answer, 100))
}

// retryAfter reads a Retry-After header given in seconds; 0 for none.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, 24*time.Hour)
}

// snippet returns the start of a receiver's answer, fit for a log line.
func snippet(b []byte, runes int) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "�")), " ")
	if utf8.RuneCountInString(s) > runes {
		s = string([]rune(s)[:runes]) + "…"
	}
	return s
}

// addQuery returns a URL with parameters added to its query.
func addQuery(raw string, params url.Values) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", permanent(nil, "地址无法使用：请核对渠道的地址。")
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
