package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
	"patentdesk/internal/sqlite"
	"patentdesk/templates"
)

// The account page's personal access tokens: a user creates, names, lists
// and revokes the tokens with which scripts use the JSON API. A token acts
// with its user's role, whatever that is on the day it is used.

// createToken makes a token and shows its secret on the answer itself, this
// once: redirecting would mean keeping the secret somewhere until the next
// request, and nothing keeps it.
func (s *Server) createToken(c echo.Context) error {
	u := currentUser(c)
	name := c.FormValue("name")
	secret, tok, err := s.db.CreateAPIToken(c.Request().Context(), s.actor(c), u.ID, name)
	var de *licensing.Error
	if errors.As(err, &de) && de.Code == licensing.Invalid {
		return s.renderAccountWith(c, http.StatusUnprocessableEntity, func(v *templates.AccountView) {
			v.TokenName = name
			v.TokenErrors = templates.FieldErrors{"name": state(c).locale.T("account.tokens.name_required")}
		})
	}
	if err != nil {
		return err
	}
	return s.renderAccountWith(c, http.StatusOK, func(v *templates.AccountView) {
		v.NewToken = &templates.NewTokenView{Name: tok.Name, Secret: secret}
	})
}

// revokeToken ends one of the user's own tokens at once.
func (s *Server) revokeToken(c echo.Context) error {
	return s.revokeUserToken(c, currentUser(c).ID, c.Param("id"), "/account#tokens")
}

// revokeUserToken ends the token param names among userID's, and goes back
// to back; another user's token, or one already revoked, is not found.
func (s *Server) revokeUserToken(c echo.Context, userID int64, param, back string) error {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return licensing.Errorf(licensing.NotFound, "no such token")
	}
	err = s.db.RevokeAPIToken(c.Request().Context(), s.actor(c), userID, id)
	if errors.Is(err, sqlite.ErrNotFound) {
		return licensing.Errorf(licensing.NotFound, "no such token")
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "account.tokens.revoked"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// tokenRows lists a user's tokens, for the account page and the user's
// administration page.
func (s *Server) tokenRows(ctx context.Context, userID int64) ([]templates.TokenRow, error) {
	list, err := s.db.APITokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	rows := make([]templates.TokenRow, len(list))
	for i, t := range list {
		rows[i] = templates.TokenRow{ID: t.ID, Name: t.Name, Hint: t.Hint, CreatedAt: t.CreatedAt,
			LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
	}
	return rows, nil
}
