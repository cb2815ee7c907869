package supervision

import (
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// supervisionExamplePages are examples of the pages of supervision
// notices, urges, notifications and channels, for TestTemplates.
func supervisionExamplePages() []web.Page {
	at := time.Date(2022, 8, 1, 9, 30, 0, 0, time.UTC)
	plan := &duban.Plan{ID: 1, Year: 2022, Title: "2022 年工作报告分解" + hostile, State: duban.PlanPublished}
	task := &duban.Task{ID: 7, PlanID: 1, Year: 2022, No: "2.1.3", Text: "新增高新技术企业 119 家" + hostile, State: duban.TaskActive,
		LeadUnits: []duban.Owner{{ID: 6, Name: "区科学技术局"}}}
	unit := &duban.Unit{ID: 6, Name: "区科学技术局" + hostile, Kind: duban.UnitDepartment}
	open := &cycle.Supervision{ID: 3, PlanID: 1, Year: 2022, Seq: 3, TaskIDs: []int64{7}, UnitID: 6, Unit: hostile,
		Reason: "进度严重滞后" + hostile, Requirement: hostile, Due: duban.NewDate(2022, 8, 10), State: cycle.SupervisionAcknowledged,
		Answer: hostile, Evidence: []cycle.EvidenceRef{{Name: hostile}}, RepeatOf: 2, IssuedBy: hostile, IssuedAt: at,
		AcknowledgedBy: hostile, AcknowledgedAt: at, AnsweredBy: hostile, AnsweredAt: at, Version: 2}
	closed := *open
	closed.State, closed.ClosedBy, closed.ClosedAt, closed.RepeatOf, closed.RepeatedBy = cycle.SupervisionClosed, hostile, at, 0, 4
	item := &supervisionItem{Supervision: open, Tasks: []*duban.Task{task}, Late: 3}
	form := supervisionForm{Tasks: []*duban.Task{task}, Unit: unit, Reason: hostile, Requirement: hostile, Due: "2022-08-10", Error: hostile}
	light := &cycle.Light{TaskID: 7, Status: cycle.LightSevere, Reason: hostile}
	urge := &cycle.Urge{ID: 1, PlanID: 1, TaskID: 7, UnitID: 6, Message: hostile, By: hostile, At: at}
	names := channelNames{Units: []*duban.Unit{unit}, Plans: []*duban.Plan{plan}, units: map[int64]string{6: hostile}, plans: map[int64]string{1: hostile}}
	hook := &duban.Channel{ID: 1, Name: hostile, Kind: duban.ChannelWebhook, URL: "https://hooks.example.gov.cn/?k=" + hostile, HasSecret: true,
		UnitID: 6, PlanID: 1, Enabled: true}
	mail := &duban.Channel{ID: 2, Name: "邮箱", Kind: duban.ChannelEmail, SMTPAddr: "mail.example.gov.cn:587", From: hostile,
		To: []string{hostile, "b@example.gov.cn"}}
	robot := &duban.Channel{ID: 3, Name: "群", Kind: duban.ChannelDingTalk, URL: "https://oapi.dingtalk.com/robot/send?access_token=abcd******"}
	return []web.Page{
		&supervisionsPage{Items: []*supervisionItem{item, {Supervision: &closed, Tasks: []*duban.Task{task}}}, State: "late", Unit: 6, Year: 2022,
			Units: []*duban.Unit{unit}, Years: []int{2022}, CanIssue: true,
			Pager: web.Pager{Page: 1, Size: 50, Total: 60, Link: func(int) string { return "/supervisions?page=2&q=" + hostile }}},
		&supervisionsPage{},
		&newSupervisionPage{Form: form},
		&newSupervisionPage{Plans: []*duban.Plan{plan}, Nos: hostile},
		&supervisionPage{Item: item, RepeatOf: &closed, RepeatedBy: &closed, CanAcknowledge: true, CanAnswer: true, CanClose: true,
			CanReissue: true, Reissue: form, EvidenceLimit: "50 MB"},
		&supervisionPage{Item: &supervisionItem{Supervision: &closed, Tasks: []*duban.Task{task}}},
		&supervisionPrint{Base: web.Base{Bare: true}, Item: item},
		&urgesPage{Plans: []*duban.Plan{plan, plan}, Plan: plan,
			Tasks:  []*lagRow{{Task: task, Light: light, Unit: unit, Urged: 2, Severe: true}},
			Units:  []*owingRow{{Unit: unit, Overdue: 3, Urged: 1, Last: at}},
			Recent: []*cycle.Urge{urge, {ID: 2, UnitID: 6, Message: hostile, By: hostile, At: at}}, Names: map[int64]string{6: hostile},
			TaskNos: map[int64]string{7: hostile}},
		&urgesPage{},
		&notificationsPage{Items: []*cycle.Notification{
			{ID: 1, UnitID: 6, Kind: cycle.NotifyReminder, Text: hostile, TextEN: hostile, Link: "/todo", CreatedAt: at},
			{ID: 2, Office: true, Kind: cycle.NotifySupervision, Text: hostile, CreatedAt: at, ReadAt: at}},
			Pager: web.Pager{Page: 1, Size: 50, Total: 2, Link: func(int) string { return "" }}},
		&notificationsPage{OnlyUnread: true},
		&channelsPage{Channels: []*duban.Channel{hook, mail, robot}, Kinds: duban.ChannelKinds, channelNames: names},
		&channelsPage{},
		&channelPage{Channel: hook, channelNames: names, Error: hostile},
		&channelPage{Channel: mail, New: true, To: hostile, channelNames: names},
		&channelPage{Channel: robot, channelNames: names},
		&deliveriesPage{Items: []*duban.Delivery{
			{ID: 1, ChannelName: hostile, ChannelKind: duban.ChannelWeCom, Event: "reminder", UnitID: 6, Subject: hostile,
				State: duban.DeliverySent, Attempts: 2, CreatedAt: at, SentAt: at},
			{ID: 2, ChannelName: "邮箱", ChannelKind: duban.ChannelEmail, Event: "odd", Subject: "x", State: duban.DeliveryPending,
				LastError: hostile, NextAttemptAt: at, CreatedAt: at}},
			Channels: []*duban.Channel{hook}, States: []duban.DeliveryState{duban.DeliverySent, duban.DeliveryFailed},
			Events: []string{"reminder"}, Channel: 1, State: "sent", Event: "reminder", channelNames: names,
			Pager: web.Pager{Page: 1, Size: 50, Total: 2, Link: func(int) string { return "" }}},
		&deliveriesPage{},
	}
}

// supervisionLabels are the labels of the cycle's and the channels' states
// and kinds that the pages translate, for TestCatalog.
func supervisionLabels() map[string]string {
	labels := map[string]string{}
	for _, s := range (&supervisionsPage{}).States() {
		labels[s.Label()] = "cycle.SupervisionState.Label"
	}
	for _, l := range notificationKinds {
		labels[l] = "notificationKinds"
	}
	for _, l := range deliveryEvents {
		labels[l] = "deliveryEvents"
	}
	for _, k := range duban.ChannelKinds {
		labels[k.Label()] = "duban.ChannelKind.Label"
	}
	for _, s := range []duban.DeliveryState{duban.DeliveryPending, duban.DeliverySending, duban.DeliverySent, duban.DeliveryFailed} {
		labels[s.Label()] = "duban.DeliveryState.Label"
	}
	for _, s := range lagging {
		labels[s.Label()] = "cycle.LightStatus.Label"
	}
	return labels
}
