package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// apiChannelRoutes are the office's outbound channels, their test
// messages and the delivery log. A secret is never answered: a channel says
// has_secret, and a webhook's secret made by the server is answered once,
// when the channel is made.
func (s *server) apiChannelRoutes() []web.Route {
	// The services are reached when a request comes (see apiPlanRoutes).
	channels := func() duban.DeliveryService { return s.svc.Deliveries }
	const manage = "管理消息发送渠道"
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/channels", Allow: duban.CanManageChannels, Action: manage,
			Handler: apiListOf(readChannelFilter, func(ctx context.Context, f duban.ChannelFilter) ([]*duban.Channel, int, error) {
				return channels().FindChannels(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/channels", Allow: duban.CanManageChannels, Action: manage, Changes: true,
			Handler: apiDo("", http.StatusCreated, func(ctx context.Context, _ int64, req channelRequest) (*newChannel, error) {
				c := &duban.Channel{Name: req.Name, Kind: req.Kind, UnitID: req.UnitID, PlanID: req.PlanID, URL: req.URL,
					SMTPAddr: req.SMTPAddr, Username: req.Username, From: req.From, To: req.To, Secret: req.Secret, Enabled: req.Enabled}
				if err := channels().CreateChannel(ctx, c); err != nil {
					return nil, err
				}
				out := &newChannel{Channel: c.Redacted()}
				if req.Secret == "" && c.Secret != "" {
					out.Secret = c.Secret.Reveal()
				}
				return out, nil
			})},
		{Method: "GET", Pattern: "/api/v1/channels/{channel}", Allow: duban.CanManageChannels, Action: manage,
			Handler: apiGet("channel", func(ctx context.Context, id int64) (*duban.Channel, error) {
				return channels().FindChannelByID(ctx, id)
			})},
		{Method: "PATCH", Pattern: "/api/v1/channels/{channel}", Allow: duban.CanManageChannels, Action: manage, Changes: true,
			Handler: apiDo("channel", http.StatusOK, func(ctx context.Context, id int64, upd duban.ChannelUpdate) (*duban.Channel, error) {
				return channels().UpdateChannel(ctx, id, upd)
			})},
		{Method: "DELETE", Pattern: "/api/v1/channels/{channel}", Allow: duban.CanManageChannels, Action: manage, Changes: true,
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := web.PathID(r, "channel")
				if err != nil {
					return err
				}
				if err := channels().DeleteChannel(r.Context(), id); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
		{Method: "POST", Pattern: "/api/v1/channels/{channel}/test", Allow: duban.CanManageChannels, Action: "测试发送渠道", Changes: true,
			Handler: apiDo("channel", http.StatusOK, func(ctx context.Context, id int64, _ struct{}) (*duban.Delivery, error) {
				return s.svc.Tester.SendTest(ctx, id)
			})},
		{Method: "GET", Pattern: "/api/v1/deliveries", Allow: duban.CanManageChannels, Action: "查看发送记录",
			Handler: apiListOf(readDeliveryFilter, func(ctx context.Context, f duban.DeliveryFilter) ([]*duban.Delivery, int, error) {
				return channels().FindDeliveries(ctx, f)
			})},
	}
}

// channelRequest is a new channel: the settings of its kind.
type channelRequest struct {
	Name     string            `json:"name"`
	Kind     duban.ChannelKind `json:"kind"`
	UnitID   int64             `json:"unit_id,omitempty"`
	PlanID   int64             `json:"plan_id,omitempty"`
	URL      string            `json:"url,omitempty"`
	SMTPAddr string            `json:"smtp_addr,omitempty"`
	Username string            `json:"username,omitempty"`
	From     string            `json:"from,omitempty"`
	To       []string          `json:"to,omitempty"`
	Secret   duban.Secret      `json:"secret,omitempty"`
	Enabled  bool              `json:"enabled"`
}

// newChannel is a channel just made, with the webhook's signing secret
// when the server made it: shown this once, for the receiving system.
type newChannel struct {
	Channel *duban.Channel `json:"channel"`
	Secret  string         `json:"secret,omitempty"`
}

// readChannelFilter reads a list of channels' filter: ?unit=, ?plan=,
// ?enabled=yes|no.
func readChannelFilter(r *http.Request, q url.Values, pg apiPage) (duban.ChannelFilter, error) {
	f := duban.ChannelFilter{Offset: pg.Offset, Limit: pg.Limit}
	var err error
	if f.UnitID, err = optionalID(q, "unit"); err != nil {
		return f, err
	}
	if f.PlanID, err = optionalID(q, "plan"); err != nil {
		return f, err
	}
	switch v := q.Get("enabled"); v {
	case "":
	case "yes", "no":
		f.Enabled = new(v == "yes")
	default:
		return f, duban.Errorf(duban.EINVALID, "参数“enabled=%s”不正确：应为 yes 或 no。", v)
	}
	return f, nil
}

// readDeliveryFilter reads the delivery log's filter: ?channel=, ?unit=,
// ?plan=, ?state=, ?event=.
func readDeliveryFilter(r *http.Request, q url.Values, pg apiPage) (duban.DeliveryFilter, error) {
	f := duban.DeliveryFilter{Offset: pg.Offset, Limit: pg.Limit}
	var err error
	for _, p := range []struct {
		name string
		dst  **int64
	}{{"channel", &f.ChannelID}, {"unit", &f.UnitID}, {"plan", &f.PlanID}} {
		if *p.dst, err = optionalID(q, p.name); err != nil {
			return f, err
		}
	}
	if v := q.Get("state"); v != "" {
		st := duban.DeliveryState(v)
		if !st.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 pending、sending、sent 或 failed。", v)
		}
		f.State = &st
	}
	switch v := q.Get("event"); v {
	case "":
	case "reminder", "urge", "supervision", "test":
		f.Event = &v
	default:
		return f, duban.Errorf(duban.EINVALID, "参数“event=%s”不正确：应为 reminder、urge、supervision 或 test。", v)
	}
	return f, nil
}
