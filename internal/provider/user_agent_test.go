package provider

import "testing"

func TestUserAgent(t *testing.T) {
	tests := []struct{ pv, tv, want string }{
		{"1.2.3", "1.9.0", "terraform-provider-honeyhive/1.2.3 (Terraform/1.9.0)"},
		{"1.2.3", "", "terraform-provider-honeyhive/1.2.3"},
		{"", "", "terraform-provider-honeyhive/dev"},
		{" 0.1.0\n", " 1.10.0-rc1 ", "terraform-provider-honeyhive/0.1.0 (Terraform/1.10.0-rc1)"},
		{"1.2(3)", "1.9\r\n0", "terraform-provider-honeyhive/1.23 (Terraform/1.90)"},
	}
	for _, tt := range tests {
		if got := userAgent(tt.pv, tt.tv); got != tt.want {
			t.Errorf("userAgent(%q, %q) = %q, want %q", tt.pv, tt.tv, got, tt.want)
		}
	}
}
