package tlsca

import (
	"net"
	"net/netip"
	"slices"
	"testing"
)

func TestLocalNames(t *testing.T) {
	tests := []struct {
		name       string
		hostname   string
		publicHost string
		wantDNS    []string
		wantIPs    []string
	}{
		{"host only", "Office-Server", "", []string{"localhost", "office-server"},
			[]string{"127.0.0.1", "::1"}},
		{"public dns name", "box", "portal.example.org.",
			[]string{"localhost", "box", "portal.example.org"}, []string{"127.0.0.1", "::1"}},
		{"public ip", "box", "203.0.113.9", []string{"localhost", "box"},
			[]string{"127.0.0.1", "::1", "203.0.113.9"}},
		{"duplicates", "localhost", "127.0.0.1", []string{"localhost"},
			[]string{"127.0.0.1", "::1"}},
		{"invalid host name", "bad host", "", []string{"localhost"}, []string{"127.0.0.1", "::1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LocalNames(tt.hostname, tt.publicHost)

			if !slices.Equal(got.DNS, tt.wantDNS) {
				t.Errorf("DNS %v, want %v", got.DNS, tt.wantDNS)
			}
			for _, want := range tt.wantIPs {
				if !slices.Contains(got.IPs, netip.MustParseAddr(want)) {
					t.Errorf("IPs %v lack %s", got.IPs, want)
				}
			}
			for _, ip := range got.IPs {
				unexpectedLoopback := ip.IsLoopback() && !slices.Contains(tt.wantIPs, ip.String())
				if ip.IsLinkLocalUnicast() || unexpectedLoopback {
					t.Errorf("IPs %v hold %s", got.IPs, ip)
				}
			}
		})
	}
}

func TestLocalNamesHasInterfaceAddrs(t *testing.T) {
	got := LocalNames("box", "")
	for _, ip := range interfaceAddrs() {
		if !slices.Contains(got.IPs, ip) {
			t.Errorf("IPs %v lack interface address %s", got.IPs, ip)
		}
	}
}

func TestUsableAddrs(t *testing.T) {
	addrs := []net.Addr{
		&net.IPNet{IP: net.ParseIP("192.168.1.5"), Mask: net.CIDRMask(24, 32)},
		&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
		&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
		&net.IPNet{IP: net.ParseIP("169.254.3.4"), Mask: net.CIDRMask(16, 32)},
		&net.IPNet{IP: net.ParseIP("2001:db8::5"), Mask: net.CIDRMask(64, 128)},
	}
	got := usableAddrs(addrs)
	want := []netip.Addr{netip.MustParseAddr("192.168.1.5"), netip.MustParseAddr("2001:db8::5")}
	if !slices.Equal(got, want) {
		t.Errorf("usableAddrs = %v, want %v", got, want)
	}
}

func TestCleanDNSName(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"LocalHost", "localhost", true},
		{"box.lan.", "box.lan", true},
		{"my_host", "my_host", true},
		{"", "", false},
		{"a..b", "", false},
		{"-box", "", false},
		{"bad host", "", false},
		{"*.lan", "", false},
		{"bücher.lan", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := cleanDNSName(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("cleanDNSName(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
