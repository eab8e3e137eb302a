package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The deadlines page's calendar feeds: a user subscribes a calendar
// program to their deadlines through a secret link, shown once, and
// revokes it when it is no longer wanted. The feed itself is served by
// calendar_feed.go.

// feedAction is where the feed form posts: the page's own query travels
// along, so that the list the page shows again keeps its filters.
func feedAction(c echo.Context) string {
	action := "/deadlines/feeds"
	if q := c.QueryParams(); len(q) > 0 {
		action += "?" + q.Encode()
	}
	return action + "#feeds"
}

// deadlineFeedCreate makes a feed and shows its link on the answer itself,
// this once, as a new token is shown: nothing keeps the secret for a
// redirect.
func (s *Server) deadlineFeedCreate(c echo.Context) error {
	l := state(c).locale
	name, alarmText := strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("alarm_days"))
	errs := templates.FieldErrors{}
	alarm, err := strconv.Atoi(alarmText)
	if err != nil || alarm < 0 || alarm > sqlite.MaxAlarmDays {
		errs["alarm_days"] = l.T("deadlines.feeds.error.alarm_days", sqlite.MaxAlarmDays)
	}
	refuse := func(errs templates.FieldErrors) error {
		return s.renderDeadlines(c, http.StatusUnprocessableEntity, func(v *templates.DeadlinesView) {
			v.Feeds.Name, v.Feeds.AlarmDays, v.Feeds.Errors = name, alarmText, errs
		})
	}
	if len(errs) > 0 {
		return refuse(errs)
	}
	feedName := name
	if feedName == "" {
		feedName = l.T("deadlines.feeds.default_name")
	}
	secret, feed, err := s.db.CreateCalendarFeed(c.Request().Context(), s.actor(c), currentUser(c).ID, feedName, alarm)
	if licensing.ErrorCode(err) == licensing.Invalid {
		return refuse(templates.FieldErrors{"name": l.T("deadlines.feeds.error.name")})
	}
	if err != nil {
		return err
	}
	url := s.absoluteURL(c, "/calendar/"+secret+calendarSuffix)
	return s.renderDeadlines(c, http.StatusOK, func(v *templates.DeadlinesView) {
		v.Feeds.New = &templates.NewFeedView{Name: feed.Name, URL: url, AlarmDays: feed.AlarmDays,
			WebcalURL: "webcal" + strings.TrimPrefix(strings.TrimPrefix(url, "https"), "http")}
	})
}

// deadlineFeedRevoke ends one of the user's own feeds at once; another
// user's feed, or one already revoked, is not found.
func (s *Server) deadlineFeedRevoke(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err == nil {
		err = s.db.RevokeCalendarFeed(c.Request().Context(), s.actor(c), currentUser(c).ID, id)
	}
	if err != nil && (errors.Is(err, sqlite.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange)) {
		return licensing.Errorf(licensing.NotFound, "no live calendar feed of yours with the id %q", c.Param("id"))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "deadlines.feeds.revoked"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/deadlines#feeds")
}

// feedRows lists the user's feeds for the page, live ones first.
func (s *Server) feedRows(c echo.Context) ([]templates.DeadlineFeedRow, error) {
	list, err := s.db.CalendarFeeds(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return nil, err
	}
	rows := make([]templates.DeadlineFeedRow, len(list))
	for i, f := range list {
		rows[i] = templates.DeadlineFeedRow{ID: f.ID, Name: f.Name, AlarmDays: f.AlarmDays, CreatedAt: f.CreatedAt,
			LastUsedAt: f.LastUsedAt, RevokedAt: f.RevokedAt}
	}
	return rows, nil
}
