package tlsca

import (
	"crypto/x509"
	"net"
	"net/netip"
	"strings"
)

// localRanges are the address ranges the CA may always vouch for: loopback, the private
// IPv4 ranges, carrier-grade NAT (used by Tailscale and similar), unique local IPv6 and
// link-local IPv6. None of them can belong to a public site.
var localRanges = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
}

// permittedDNS returns the DNS name constraints for a new CA: localhost and the given,
// already normalized, host names. A constraint also permits its subdomains.
func permittedDNS(names Names) []string {
	permitted := []string{"localhost"}
	for _, name := range names.DNS {
		if !dnsPermitted(permitted, name) {
			permitted = append(permitted, name)
		}
	}
	return permitted
}

// permittedIPs returns the IP range constraints for a new CA: the local ranges and, as
// single-address ranges, the given IPs that lie outside them.
func permittedIPs(names Names) []*net.IPNet {
	ranges := append([]netip.Prefix(nil), localRanges...)
	for _, ip := range names.IPs {
		if !ipPermitted(ranges, ip) {
			ranges = append(ranges, netip.PrefixFrom(ip, ip.BitLen()))
		}
	}
	out := make([]*net.IPNet, 0, len(ranges))
	for _, r := range ranges {
		out = append(out, &net.IPNet{
			IP:   net.IP(r.Addr().AsSlice()),
			Mask: net.CIDRMask(r.Bits(), r.Addr().BitLen()),
		})
	}
	return out
}

// permits reports whether the name constraints of cert allow a certificate for every
// one of the given normalized names. A certificate without constraints of a kind permits
// every name of that kind, as RFC 5280 says.
func permits(cert *x509.Certificate, names Names) bool {
	for _, name := range names.DNS {
		if len(cert.PermittedDNSDomains) > 0 && !dnsPermitted(cert.PermittedDNSDomains, name) {
			return false
		}
	}
	ranges := prefixes(cert.PermittedIPRanges)
	for _, ip := range names.IPs {
		if len(ranges) > 0 && !ipPermitted(ranges, ip) {
			return false
		}
	}
	return true
}

// dnsPermitted reports whether one of the constraints permits name. A constraint
// "example.com" permits example.com and its subdomains; ".example.com" only subdomains.
func dnsPermitted(constraints []string, name string) bool {
	for _, c := range constraints {
		c = strings.ToLower(c)
		if strings.HasPrefix(c, ".") {
			if strings.HasSuffix(name, c) {
				return true
			}
			continue
		}
		if name == c || strings.HasSuffix(name, "."+c) {
			return true
		}
	}
	return false
}

// ipPermitted reports whether one of the ranges contains ip.
func ipPermitted(ranges []netip.Prefix, ip netip.Addr) bool {
	for _, r := range ranges {
		if r.Contains(ip) {
			return true
		}
	}
	return false
}

// prefixes converts the ranges of a certificate to netip prefixes, skipping any whose
// mask does not fit its address.
func prefixes(nets []*net.IPNet) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(nets))
	for _, n := range nets {
		addr, ok := netip.AddrFromSlice(n.IP)
		ones, bits := n.Mask.Size()
		if bits == 8*net.IPv4len {
			addr = addr.Unmap()
		}
		if !ok || bits != addr.BitLen() {
			continue
		}
		out = append(out, netip.PrefixFrom(addr, ones).Masked())
	}
	return out
}
