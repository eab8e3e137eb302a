// Package auth holds PatentDesk's users, roles, password hashing, sessions and sign-in throttling.
package auth

import (
	"fmt"
	"strings"
)

// Role is a user's permission level within PatentDesk.
type Role string

// The roles, from least to most privileged.
const (
	// RoleViewer may read matters and documents but change nothing.
	RoleViewer Role = "viewer"
	// RoleEditor may additionally create and change matters and documents.
	RoleEditor Role = "editor"
	// RoleAdmin may additionally manage users and settings.
	RoleAdmin Role = "admin"
)

// allRoles lists the valid roles in ascending order of privilege; it feeds
// both error messages and the rank comparison so the two cannot disagree.
var allRoles = []Role{RoleViewer, RoleEditor, RoleAdmin}

// ParseRole converts a role name as stored or submitted into a Role.
//
// Matching is exact and case-sensitive on purpose: role names are stored
// verbatim, and silently accepting "Admin" would let two spellings of the
// same privilege drift apart in the database.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if r.Valid() {
		return r, nil
	}
	names := make([]string, len(allRoles))
	for i, v := range allRoles {
		names[i] = string(v)
	}
	return "", fmt.Errorf("auth: unknown role %q (valid roles: %s)", s, strings.Join(names, ", "))
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	return r.rank() > 0
}

// AtLeast reports whether r grants at least the privileges of min.
//
// An invalid r or min is never satisfied, so a corrupted or empty role
// fails closed instead of being treated as the lowest level.
func (r Role) AtLeast(min Role) bool {
	have, want := r.rank(), min.rank()
	return have > 0 && want > 0 && have >= want
}

// rank returns 1 for the least privileged role upwards, and 0 for an
// invalid role.
func (r Role) rank() int {
	for i, v := range allRoles {
		if r == v {
			return i + 1
		}
	}
	return 0
}
