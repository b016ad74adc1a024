package org.wsusfix.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SddlAliasesTest {
  private static final Sid DOMAIN = Sid.parse("S-1-5-21-1-2-3");

  @Test
  void iuIsInteractiveAndIusrHasNoAlias() {
    assertEquals(WellKnownSids.INTERACTIVE, SddlAliases.resolve("IU", null).orElseThrow());
    assertEquals(Optional.empty(), SddlAliases.aliasOf(WellKnownSids.IUSR, DOMAIN));
    assertEquals("IS", SddlAliases.aliasOf(WellKnownSids.IIS_IUSRS, null).orElseThrow());
  }

  @Test
  void fixedAliasesResolveInAnyCase() {
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("WD", "S-1-1-0"),
            Map.entry("CO", "S-1-3-0"),
            Map.entry("CG", "S-1-3-1"),
            Map.entry("OW", "S-1-3-4"),
            Map.entry("AN", "S-1-5-7"),
            Map.entry("AU", "S-1-5-11"),
            Map.entry("BA", "S-1-5-32-544"),
            Map.entry("BU", "S-1-5-32-545"),
            Map.entry("BG", "S-1-5-32-546"),
            Map.entry("RU", "S-1-5-32-554"),
            Map.entry("RD", "S-1-5-32-555"),
            Map.entry("NO", "S-1-5-32-556"),
            Map.entry("IS", "S-1-5-32-568"),
            Map.entry("AA", "S-1-5-32-579"),
            Map.entry("RM", "S-1-5-32-580"),
            Map.entry("HO", "S-1-5-32-584"),
            Map.entry("SH", "S-1-5-32-585"),
            Map.entry("SY", "S-1-5-18"),
            Map.entry("LS", "S-1-5-19"),
            Map.entry("NS", "S-1-5-20"),
            Map.entry("NU", "S-1-5-2"),
            Map.entry("SU", "S-1-5-6"),
            Map.entry("ED", "S-1-5-9"),
            Map.entry("PS", "S-1-5-10"),
            Map.entry("RC", "S-1-5-12"),
            Map.entry("WR", "S-1-5-33"),
            Map.entry("AC", "S-1-15-2-1"),
            Map.entry("LW", "S-1-16-4096"),
            Map.entry("ME", "S-1-16-8192"),
            Map.entry("MP", "S-1-16-8448"),
            Map.entry("HI", "S-1-16-12288"),
            Map.entry("SI", "S-1-16-16384"),
            Map.entry("AS", "S-1-18-1"),
            Map.entry("SS", "S-1-18-2"),
            Map.entry("UD", "S-1-5-84-0-0-0-0-0"));
    expected.forEach(
        (alias, sid) -> {
          assertEquals(Sid.parse(sid), SddlAliases.resolve(alias, null).orElseThrow(), alias);
          assertEquals(
              Sid.parse(sid), SddlAliases.resolve(alias.toLowerCase(), null).orElseThrow(), alias);
          assertEquals(alias, SddlAliases.aliasOf(Sid.parse(sid), null).orElseThrow(), sid);
        });
  }

  @Test
  void domainRelativeAliasesNeedADomain() {
    Map<String, Long> rids =
        Map.ofEntries(
            Map.entry("LA", 500L),
            Map.entry("LG", 501L),
            Map.entry("DA", 512L),
            Map.entry("DU", 513L),
            Map.entry("DG", 514L),
            Map.entry("DC", 515L),
            Map.entry("DD", 516L),
            Map.entry("CA", 517L),
            Map.entry("SA", 518L),
            Map.entry("EA", 519L),
            Map.entry("PA", 520L),
            Map.entry("CN", 522L),
            Map.entry("AP", 525L),
            Map.entry("KA", 526L),
            Map.entry("EK", 527L),
            Map.entry("RO", 498L),
            Map.entry("RS", 553L));
    rids.forEach(
        (alias, rid) -> {
          assertTrue(SddlAliases.isDomainRelative(alias));
          assertEquals(DOMAIN.withRid(rid), SddlAliases.resolve(alias, DOMAIN).orElseThrow());
          IllegalArgumentException e =
              assertThrows(IllegalArgumentException.class, () -> SddlAliases.resolve(alias, null));
          assertTrue(e.getMessage().contains(alias), e.getMessage());
          assertEquals(alias, SddlAliases.aliasOf(DOMAIN.withRid(rid), DOMAIN).orElseThrow());
        });
  }

  @Test
  void domainSidsAreAliasesOnlyInTheirOwnDomain() {
    Sid other = Sid.parse("S-1-5-21-9-9-9-512");
    assertEquals(Optional.empty(), SddlAliases.aliasOf(other, DOMAIN));
    assertEquals(Optional.empty(), SddlAliases.aliasOf(DOMAIN.withRid(512), null));
    assertEquals(Optional.empty(), SddlAliases.aliasOf(DOMAIN.withRid(1105), DOMAIN));
    // a SID one level deeper than the domain is not "in" it
    assertEquals(Optional.empty(), SddlAliases.aliasOf(DOMAIN.withRid(7).withRid(512), DOMAIN));
  }

  @Test
  void unknownAliases() {
    assertEquals(Optional.empty(), SddlAliases.resolve("XX", DOMAIN));
    assertEquals(Optional.empty(), SddlAliases.resolve("S-1-1-0", DOMAIN));
    assertFalse(SddlAliases.isAlias("IUSR"));
    assertTrue(SddlAliases.isAlias("lg"));
  }
}
