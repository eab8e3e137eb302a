package auth

import (
	"strings"
	"testing"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Role
		wantErr bool
	}{
		{name: "ViewerAccepted", in: "viewer", want: RoleViewer},
		{name: "EditorAccepted", in: "editor", want: RoleEditor},
		{name: "AdminAccepted", in: "admin", want: RoleAdmin},
		{name: "UpperCaseRejected", in: "Admin", wantErr: true},
		{name: "SurroundingSpaceRejected", in: " admin", wantErr: true},
		{name: "EmptyRejected", in: "", wantErr: true},
		{name: "UnknownRejected", in: "owner", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRole(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("ParseRole(%q) = %q, want error", tc.in, got)
				}
				for _, r := range []string{"viewer", "editor", "admin"} {
					if !strings.Contains(err.Error(), r) {
						t.Errorf("error %q does not list valid role %q", err, r)
					}
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseRole(%q) = %q, %v; want %q, nil", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestRoleValid(t *testing.T) {
	tests := []struct {
		name string
		r    Role
		want bool
	}{
		{name: "ViewerValid", r: RoleViewer, want: true},
		{name: "EditorValid", r: RoleEditor, want: true},
		{name: "AdminValid", r: RoleAdmin, want: true},
		{name: "EmptyInvalid", r: "", want: false},
		{name: "WrongCaseInvalid", r: "ADMIN", want: false},
		{name: "UnknownInvalid", r: "root", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Valid(); got != tc.want {
				t.Errorf("Role(%q).Valid() = %v, want %v", tc.r, got, tc.want)
			}
		})
	}
}

func TestRoleAtLeast(t *testing.T) {
	tests := []struct {
		name string
		r    Role
		min  Role
		want bool
	}{
		{name: "AdminAtLeastAdmin", r: RoleAdmin, min: RoleAdmin, want: true},
		{name: "AdminAtLeastEditor", r: RoleAdmin, min: RoleEditor, want: true},
		{name: "AdminAtLeastViewer", r: RoleAdmin, min: RoleViewer, want: true},
		{name: "EditorNotAtLeastAdmin", r: RoleEditor, min: RoleAdmin, want: false},
		{name: "EditorAtLeastEditor", r: RoleEditor, min: RoleEditor, want: true},
		{name: "EditorAtLeastViewer", r: RoleEditor, min: RoleViewer, want: true},
		{name: "ViewerNotAtLeastAdmin", r: RoleViewer, min: RoleAdmin, want: false},
		{name: "ViewerNotAtLeastEditor", r: RoleViewer, min: RoleEditor, want: false},
		{name: "ViewerAtLeastViewer", r: RoleViewer, min: RoleViewer, want: true},
		{name: "EmptyRoleNeverAtLeastViewer", r: "", min: RoleViewer, want: false},
		{name: "UnknownRoleNeverAtLeastViewer", r: "superuser", min: RoleViewer, want: false},
		{name: "InvalidMinimumNeverSatisfied", r: RoleAdmin, min: "superuser", want: false},
		{name: "EmptyMinimumNeverSatisfied", r: RoleAdmin, min: "", want: false},
		{name: "InvalidAgainstInvalidFalse", r: "x", min: "x", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.AtLeast(tc.min); got != tc.want {
				t.Errorf("Role(%q).AtLeast(%q) = %v, want %v", tc.r, tc.min, got, tc.want)
			}
		})
	}
}
