// Package cycle is the domain of the year's reporting and supervision
// cycle over a published ledger: reporting schedules, periods and the
// office's calendar overrides, reports with their versions and closures,
// evidence references, the status lights and target progress computed from
// reports, what each unit owes and the reminders and urges about it,
// supervision notices (督办单) and in-app notifications, with the rules of
// who may do what and the service interfaces the store implements.
//
// Like package duban, whose ledger types it builds on, it holds types,
// validation and pure rules only, and imports nothing else of ours.
package cycle
