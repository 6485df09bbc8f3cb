"""On-demand Linux EC2 list prices (USD per instance-hour) for every type in `instances.TABLE` (pure data).

Two regions: us-east-1 and ap-northeast-2 (Seoul). Every figure comes from a machine-generated
price table that reads the AWS Price List API, named in the region's `*_SOURCES` with its commit
and date:

- us-east-1: karpenter's generated on-demand table (one file, every type in `instances.TABLE`).
- ap-northeast-2: SkyPilot's AWS catalog (`Price` column = on-demand Linux, one row per
  availability zone). Its us-east-1 rows agree with the karpenter table for every type compared
  (c5, c5a, c6a, c6g, c6i, c7a, c7g, c7i, c8g, m5, m5a, m6a, m6g, m6i, m7a, m7g, m7i, m8g, r5, r6g,
  r6i, r7g, r7i, t3, t3a, t4g), which is why its Seoul rows are trusted.

Prices are listed explicitly, not generated from a per-vCPU rate: AWS rounds some sizes
(us-east-1 c7g.medium 0.0363 vs 0.0725 / 2, r7g.medium 0.0536 vs 0.1071 / 2, Seoul m7g.medium
0.0502 vs 0.2006 / 4), so no family is exactly linear in every region. Where a Seoul size was not
read from the catalog it was derived from the family's per-vCPU rate, confirmed by at least two
other sizes of the same family in the same region; those types are listed in
`AP_NORTHEAST_2_DERIVED`. A type whose Seoul price could not be confirmed is absent from
`AP_NORTHEAST_2` and listed, with the reason, in `AP_NORTHEAST_2_UNCONFIRMED_FAMILIES` or
`AP_NORTHEAST_2_UNCONFIRMED_TYPES`.
"""

from __future__ import annotations

from typing import Final

KARPENTER_SOURCE: Final = (
    "aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go"
    "@031e72b6099630e960dacb88b48a7e9bb780945f (header: generated at 2026-01-19T13:23:24Z for us-east-1)"
)
SKYPILOT_SOURCE: Final = (
    "skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv@001367d22a0033fac286a8c71aeac7109e431bcb "
    "(bot-generated from the AWS Price List API every 7 hours; the commit date is not recorded in the "
    "copy read; the snapshot lists no c8a or m8a rows, so it predates their late-2025 catalog entry; "
    "its us-east-1 prices equal the 2026-01-19 karpenter table for every type compared)"
)

US_EAST_1_READ_ON: Final = "2026-12-02"
US_EAST_1_SOURCES: Final[tuple[str, ...]] = (KARPENTER_SOURCE, SKYPILOT_SOURCE + " (cross-check)")

AP_NORTHEAST_2_READ_ON: Final = "2026-12-02"
AP_NORTHEAST_2_SOURCES: Final[tuple[str, ...]] = (SKYPILOT_SOURCE,)

US_EAST_1: Final[dict[str, float]] = {
    # General purpose, x86
    "m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m5.4xlarge": 0.768, "m5.8xlarge": 1.536,
    "m5.12xlarge": 2.304, "m5.16xlarge": 3.072,
    "m5a.large": 0.086, "m5a.xlarge": 0.172, "m5a.2xlarge": 0.344, "m5a.4xlarge": 0.688, "m5a.8xlarge": 1.376,
    "m5a.12xlarge": 2.064, "m5a.16xlarge": 2.752,
    "m6i.large": 0.096, "m6i.xlarge": 0.192, "m6i.2xlarge": 0.384, "m6i.4xlarge": 0.768, "m6i.8xlarge": 1.536,
    "m6i.12xlarge": 2.304, "m6i.16xlarge": 3.072,
    "m6a.large": 0.0864, "m6a.xlarge": 0.1728, "m6a.2xlarge": 0.3456, "m6a.4xlarge": 0.6912,
    "m6a.8xlarge": 1.3824, "m6a.12xlarge": 2.0736, "m6a.16xlarge": 2.7648,
    "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032, "m7i.4xlarge": 0.8064,
    "m7i.8xlarge": 1.6128, "m7i.12xlarge": 2.4192, "m7i.16xlarge": 3.2256,
    "m7a.large": 0.11592, "m7a.xlarge": 0.23184, "m7a.2xlarge": 0.46368, "m7a.4xlarge": 0.92736,
    "m7a.8xlarge": 1.85472, "m7a.12xlarge": 2.78208, "m7a.16xlarge": 3.70944,
    # General purpose, Graviton
    "m6g.medium": 0.0385, "m6g.large": 0.077, "m6g.xlarge": 0.154, "m6g.2xlarge": 0.308, "m6g.4xlarge": 0.616,
    "m6g.8xlarge": 1.232, "m6g.12xlarge": 1.848, "m6g.16xlarge": 2.464,
    "m7g.medium": 0.0408, "m7g.large": 0.0816, "m7g.xlarge": 0.1632, "m7g.2xlarge": 0.3264,
    "m7g.4xlarge": 0.6528, "m7g.8xlarge": 1.3056, "m7g.12xlarge": 1.9584, "m7g.16xlarge": 2.6112,
    "m8g.medium": 0.04488, "m8g.large": 0.08976, "m8g.xlarge": 0.17952, "m8g.2xlarge": 0.35904,
    "m8g.4xlarge": 0.71808, "m8g.8xlarge": 1.43616, "m8g.12xlarge": 2.15424, "m8g.16xlarge": 2.87232,
    # Compute optimized, x86
    "c5.large": 0.085, "c5.xlarge": 0.17, "c5.2xlarge": 0.34, "c5.4xlarge": 0.68, "c5.9xlarge": 1.53,
    "c5.12xlarge": 2.04, "c5.18xlarge": 3.06, "c5.24xlarge": 4.08,
    "c5a.large": 0.077, "c5a.xlarge": 0.154, "c5a.2xlarge": 0.308, "c5a.4xlarge": 0.616, "c5a.8xlarge": 1.232,
    "c5a.12xlarge": 1.848, "c5a.16xlarge": 2.464,
    "c6i.large": 0.085, "c6i.xlarge": 0.17, "c6i.2xlarge": 0.34, "c6i.4xlarge": 0.68, "c6i.8xlarge": 1.36,
    "c6i.12xlarge": 2.04, "c6i.16xlarge": 2.72,
    "c6a.large": 0.0765, "c6a.xlarge": 0.153, "c6a.2xlarge": 0.306, "c6a.4xlarge": 0.612, "c6a.8xlarge": 1.224,
    "c6a.12xlarge": 1.836, "c6a.16xlarge": 2.448,
    "c7i.large": 0.08925, "c7i.xlarge": 0.1785, "c7i.2xlarge": 0.357, "c7i.4xlarge": 0.714,
    "c7i.8xlarge": 1.428, "c7i.12xlarge": 2.142, "c7i.16xlarge": 2.856,
    "c7a.large": 0.10264, "c7a.xlarge": 0.20528, "c7a.2xlarge": 0.41056, "c7a.4xlarge": 0.82112,
    "c7a.8xlarge": 1.64224, "c7a.12xlarge": 2.46336, "c7a.16xlarge": 3.28448,
    # Compute optimized, Graviton
    "c6g.medium": 0.034, "c6g.large": 0.068, "c6g.xlarge": 0.136, "c6g.2xlarge": 0.272, "c6g.4xlarge": 0.544,
    "c6g.8xlarge": 1.088, "c6g.12xlarge": 1.632, "c6g.16xlarge": 2.176,
    "c7g.medium": 0.0363, "c7g.large": 0.0725, "c7g.xlarge": 0.145, "c7g.2xlarge": 0.29, "c7g.4xlarge": 0.58,
    "c7g.8xlarge": 1.16, "c7g.12xlarge": 1.74, "c7g.16xlarge": 2.32,
    "c8g.medium": 0.03988, "c8g.large": 0.07976, "c8g.xlarge": 0.15952, "c8g.2xlarge": 0.31904,
    "c8g.4xlarge": 0.63808, "c8g.8xlarge": 1.27616, "c8g.12xlarge": 1.91424, "c8g.16xlarge": 2.55232,
    # Memory optimized, x86
    "r5.large": 0.126, "r5.xlarge": 0.252, "r5.2xlarge": 0.504, "r5.4xlarge": 1.008, "r5.8xlarge": 2.016,
    "r5.12xlarge": 3.024, "r5.16xlarge": 4.032,
    "r6i.large": 0.126, "r6i.xlarge": 0.252, "r6i.2xlarge": 0.504, "r6i.4xlarge": 1.008, "r6i.8xlarge": 2.016,
    "r6i.12xlarge": 3.024, "r6i.16xlarge": 4.032,
    "r6a.large": 0.1134, "r6a.xlarge": 0.2268, "r6a.2xlarge": 0.4536, "r6a.4xlarge": 0.9072,
    "r6a.8xlarge": 1.8144, "r6a.12xlarge": 2.7216, "r6a.16xlarge": 3.6288,
    "r7i.large": 0.1323, "r7i.xlarge": 0.2646, "r7i.2xlarge": 0.5292, "r7i.4xlarge": 1.0584,
    "r7i.8xlarge": 2.1168, "r7i.12xlarge": 3.1752, "r7i.16xlarge": 4.2336,
    # Memory optimized, Graviton
    "r6g.medium": 0.0504, "r6g.large": 0.1008, "r6g.xlarge": 0.2016, "r6g.2xlarge": 0.4032,
    "r6g.4xlarge": 0.8064, "r6g.8xlarge": 1.6128, "r6g.12xlarge": 2.4192, "r6g.16xlarge": 3.2256,
    "r7g.medium": 0.0536, "r7g.large": 0.1071, "r7g.xlarge": 0.2142, "r7g.2xlarge": 0.4284,
    "r7g.4xlarge": 0.8568, "r7g.8xlarge": 1.7136, "r7g.12xlarge": 2.5704, "r7g.16xlarge": 3.4272,
    "r8g.medium": 0.05891, "r8g.large": 0.11782, "r8g.xlarge": 0.23564, "r8g.2xlarge": 0.47128,
    "r8g.4xlarge": 0.94256, "r8g.8xlarge": 1.88512, "r8g.12xlarge": 2.82768, "r8g.16xlarge": 3.77024,
    # Burstable
    "t3.nano": 0.0052, "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832,
    "t3.xlarge": 0.1664, "t3.2xlarge": 0.3328,
    "t3a.nano": 0.0047, "t3a.micro": 0.0094, "t3a.small": 0.0188, "t3a.medium": 0.0376, "t3a.large": 0.0752,
    "t3a.xlarge": 0.1504, "t3a.2xlarge": 0.3008,
    "t4g.nano": 0.0042, "t4g.micro": 0.0084, "t4g.small": 0.0168, "t4g.medium": 0.0336, "t4g.large": 0.0672,
    "t4g.xlarge": 0.1344, "t4g.2xlarge": 0.2688,
}

AP_NORTHEAST_2: Final[dict[str, float]] = {
    # General purpose, x86 (m5, m5a, m6i: every size read; m7i.xlarge derived)
    "m5.large": 0.118, "m5.xlarge": 0.236, "m5.2xlarge": 0.472, "m5.4xlarge": 0.944, "m5.8xlarge": 1.888,
    "m5.12xlarge": 2.832, "m5.16xlarge": 3.776,
    "m5a.large": 0.106, "m5a.xlarge": 0.212, "m5a.2xlarge": 0.424, "m5a.4xlarge": 0.848, "m5a.8xlarge": 1.696,
    "m5a.12xlarge": 2.544, "m5a.16xlarge": 3.392,
    "m6i.large": 0.118, "m6i.xlarge": 0.236, "m6i.2xlarge": 0.472, "m6i.4xlarge": 0.944, "m6i.8xlarge": 1.888,
    "m6i.12xlarge": 2.832, "m6i.16xlarge": 3.776,
    "m7i.large": 0.1239, "m7i.xlarge": 0.2478, "m7i.2xlarge": 0.4956, "m7i.4xlarge": 0.9912,
    "m7i.8xlarge": 1.9824, "m7i.12xlarge": 2.9736, "m7i.16xlarge": 3.9648,
    # General purpose, Graviton (m6g.8xlarge, m7g.large and m7g.12xlarge derived)
    "m6g.medium": 0.047, "m6g.large": 0.094, "m6g.xlarge": 0.188, "m6g.2xlarge": 0.376, "m6g.4xlarge": 0.752,
    "m6g.8xlarge": 1.504, "m6g.12xlarge": 2.256, "m6g.16xlarge": 3.008,
    "m7g.medium": 0.0502, "m7g.large": 0.1003, "m7g.xlarge": 0.2006, "m7g.2xlarge": 0.4012,
    "m7g.4xlarge": 0.8024, "m7g.8xlarge": 1.6048, "m7g.12xlarge": 2.4072, "m7g.16xlarge": 3.2096,
    # Compute optimized, x86 (c5, c5a, c6i: every size read; c7i.12xlarge derived)
    "c5.large": 0.096, "c5.xlarge": 0.192, "c5.2xlarge": 0.384, "c5.4xlarge": 0.768, "c5.9xlarge": 1.728,
    "c5.12xlarge": 2.304, "c5.18xlarge": 3.456, "c5.24xlarge": 4.608,
    "c5a.large": 0.086, "c5a.xlarge": 0.172, "c5a.2xlarge": 0.344, "c5a.4xlarge": 0.688, "c5a.8xlarge": 1.376,
    "c5a.12xlarge": 2.064, "c5a.16xlarge": 2.752,
    "c6i.large": 0.096, "c6i.xlarge": 0.192, "c6i.2xlarge": 0.384, "c6i.4xlarge": 0.768, "c6i.8xlarge": 1.536,
    "c6i.12xlarge": 2.304, "c6i.16xlarge": 3.072,
    "c7i.large": 0.1008, "c7i.xlarge": 0.2016, "c7i.2xlarge": 0.4032, "c7i.4xlarge": 0.8064,
    "c7i.8xlarge": 1.6128, "c7i.12xlarge": 2.4192, "c7i.16xlarge": 3.2256,
    # Compute optimized, Graviton (c6g.xlarge and c7g.16xlarge derived)
    "c6g.medium": 0.0385, "c6g.large": 0.077, "c6g.xlarge": 0.154, "c6g.2xlarge": 0.308, "c6g.4xlarge": 0.616,
    "c6g.8xlarge": 1.232, "c6g.12xlarge": 1.848, "c6g.16xlarge": 2.464,
    "c7g.medium": 0.0408, "c7g.large": 0.0816, "c7g.xlarge": 0.1632, "c7g.2xlarge": 0.3264,
    "c7g.4xlarge": 0.6528, "c7g.8xlarge": 1.3056, "c7g.12xlarge": 1.9584, "c7g.16xlarge": 2.6112,
    # Memory optimized, x86 (r5: 2x/4x/8x read; r6i: 2x/4x read; r7i: 2x/4x/8x read; the rest derived)
    "r5.large": 0.152, "r5.xlarge": 0.304, "r5.2xlarge": 0.608, "r5.4xlarge": 1.216, "r5.8xlarge": 2.432,
    "r5.12xlarge": 3.648, "r5.16xlarge": 4.864,
    "r6i.large": 0.152, "r6i.xlarge": 0.304, "r6i.2xlarge": 0.608, "r6i.4xlarge": 1.216, "r6i.8xlarge": 2.432,
    "r6i.12xlarge": 3.648, "r6i.16xlarge": 4.864,
    "r7i.large": 0.1596, "r7i.xlarge": 0.3192, "r7i.2xlarge": 0.6384, "r7i.4xlarge": 1.2768,
    "r7i.8xlarge": 2.5536, "r7i.12xlarge": 3.8304, "r7i.16xlarge": 5.1072,
    # Memory optimized, Graviton (r6g: 2x/12x/16x read; r7g: medium/large/8x read; the rest derived)
    "r6g.medium": 0.061, "r6g.large": 0.122, "r6g.xlarge": 0.244, "r6g.2xlarge": 0.488, "r6g.4xlarge": 0.976,
    "r6g.8xlarge": 1.952, "r6g.12xlarge": 2.928, "r6g.16xlarge": 3.904,
    "r7g.medium": 0.0646, "r7g.large": 0.1292, "r7g.xlarge": 0.2584, "r7g.2xlarge": 0.5168,
    "r7g.4xlarge": 1.0336, "r7g.8xlarge": 2.0672, "r7g.12xlarge": 3.1008, "r7g.16xlarge": 4.1344,
    # Burstable (t3: nano/small/xlarge read; t3a: large/2xlarge read; t4g: small/xlarge read)
    "t3.nano": 0.0065, "t3.micro": 0.013, "t3.small": 0.026, "t3.medium": 0.052, "t3.large": 0.104,
    "t3.xlarge": 0.208, "t3.2xlarge": 0.416,
    "t3a.micro": 0.0117, "t3a.small": 0.0234, "t3a.medium": 0.0468, "t3a.large": 0.0936, "t3a.xlarge": 0.1872,
    "t3a.2xlarge": 0.3744,
    "t4g.nano": 0.0052, "t4g.micro": 0.0104, "t4g.small": 0.0208, "t4g.medium": 0.0416, "t4g.large": 0.0832,
    "t4g.xlarge": 0.1664, "t4g.2xlarge": 0.3328,
}

# Seoul sizes whose own catalog row was not read: each is the family's per-vCPU rate (per GiB for
# the burstable families, whose price doubles with memory) times its vCPUs, the rate taken from the
# sizes that were read (the basis named per family).
AP_NORTHEAST_2_DERIVED: Final[dict[str, str]] = {
    "c6g.xlarge": "0.0385/vCPU from c6g medium, large, 2x-16xlarge",
    "c7g.16xlarge": "0.0408/vCPU from c7g medium to 12xlarge and c7g.metal (64 vCPU, 2.6112)",
    "c7i.12xlarge": "0.0504/vCPU from c7i large, xlarge, 2x, 4x, 8x, 16x, 24x, 48xlarge",
    "m6g.8xlarge": "0.047/vCPU from m6g medium, large, xlarge, 2x, 4x, 12x, 16xlarge and m6g.metal",
    "m7g.large": "0.05015/vCPU from m7g xlarge, 2x, 4x, 8x, 16xlarge",
    "m7g.12xlarge": "0.05015/vCPU from m7g xlarge, 2x, 4x, 8x, 16xlarge",
    "m7i.xlarge": "0.06195/vCPU from m7i large, 2x, 4x, 8x, 12x, 16xlarge",
    "r5.large": "0.076/vCPU from r5 2x, 4x, 8x, 24xlarge",
    "r5.xlarge": "0.076/vCPU from r5 2x, 4x, 8x, 24xlarge",
    "r5.12xlarge": "0.076/vCPU from r5 2x, 4x, 8x, 24xlarge",
    "r5.16xlarge": "0.076/vCPU from r5 2x, 4x, 8x, 24xlarge",
    "r6i.large": "0.076/vCPU from r6i 2x, 4x, 24x, 32xlarge",
    "r6i.xlarge": "0.076/vCPU from r6i 2x, 4x, 24x, 32xlarge",
    "r6i.8xlarge": "0.076/vCPU from r6i 2x, 4x, 24x, 32xlarge",
    "r6i.12xlarge": "0.076/vCPU from r6i 2x, 4x, 24x, 32xlarge",
    "r6i.16xlarge": "0.076/vCPU from r6i 2x, 4x, 24x, 32xlarge",
    "r6g.medium": "0.061/vCPU from r6g 2x, 12x, 16xlarge",
    "r6g.large": "0.061/vCPU from r6g 2x, 12x, 16xlarge",
    "r6g.xlarge": "0.061/vCPU from r6g 2x, 12x, 16xlarge",
    "r6g.4xlarge": "0.061/vCPU from r6g 2x, 12x, 16xlarge",
    "r6g.8xlarge": "0.061/vCPU from r6g 2x, 12x, 16xlarge",
    "r7g.xlarge": "0.0646/vCPU from r7g medium, large, 8xlarge and r7g.metal",
    "r7g.2xlarge": "0.0646/vCPU from r7g medium, large, 8xlarge and r7g.metal",
    "r7g.4xlarge": "0.0646/vCPU from r7g medium, large, 8xlarge and r7g.metal",
    "r7g.12xlarge": "0.0646/vCPU from r7g medium, large, 8xlarge and r7g.metal",
    "r7g.16xlarge": "0.0646/vCPU from r7g medium, large, 8xlarge and r7g.metal",
    "r7i.large": "0.0798/vCPU from r7i 2x, 4x, 8x, 48xlarge",
    "r7i.xlarge": "0.0798/vCPU from r7i 2x, 4x, 8x, 48xlarge",
    "r7i.12xlarge": "0.0798/vCPU from r7i 2x, 4x, 8x, 48xlarge",
    "r7i.16xlarge": "0.0798/vCPU from r7i 2x, 4x, 8x, 48xlarge",
    "t3.micro": "0.013/GiB from t3 nano (0.0065), small (0.026), xlarge (0.208)",
    "t3.medium": "0.013/GiB from t3 nano (0.0065), small (0.026), xlarge (0.208)",
    "t3.large": "0.013/GiB from t3 nano (0.0065), small (0.026), xlarge (0.208)",
    "t3.2xlarge": "0.013/GiB from t3 nano (0.0065), small (0.026), xlarge (0.208)",
    "t3a.micro": "0.0117/GiB from t3a large (0.0936), 2xlarge (0.3744)",
    "t3a.small": "0.0117/GiB from t3a large (0.0936), 2xlarge (0.3744)",
    "t3a.medium": "0.0117/GiB from t3a large (0.0936), 2xlarge (0.3744)",
    "t3a.xlarge": "0.0117/GiB from t3a large (0.0936), 2xlarge (0.3744)",
    "t4g.nano": "0.0104/GiB from t4g small (0.0208), xlarge (0.1664)",
    "t4g.micro": "0.0104/GiB from t4g small (0.0208), xlarge (0.1664)",
    "t4g.medium": "0.0104/GiB from t4g small (0.0208), xlarge (0.1664)",
    "t4g.large": "0.0104/GiB from t4g small (0.0208), xlarge (0.1664)",
    "t4g.2xlarge": "0.0104/GiB from t4g small (0.0208), xlarge (0.1664)",
}

_NO_SEOUL_ROWS: Final = "the SkyPilot catalog lists no ap-northeast-2 offering for this family"
_NOT_READ: Final = "this family's rows in the SkyPilot catalog were not read; no other source was found"

# Families in `instances.TABLE` without a confirmed Seoul price: every size of each is absent from
# `AP_NORTHEAST_2`, as are the single types in AP_NORTHEAST_2_UNCONFIRMED_TYPES. An estimate for
# them says "not priced".
AP_NORTHEAST_2_UNCONFIRMED_FAMILIES: Final[dict[str, str]] = {
    "c6a": _NO_SEOUL_ROWS,
    "c7a": _NO_SEOUL_ROWS,
    "c8g": _NO_SEOUL_ROWS,
    "m6a": _NO_SEOUL_ROWS,
    "m7a": _NO_SEOUL_ROWS,
    "m8g": _NO_SEOUL_ROWS,
    "r6a": _NO_SEOUL_ROWS,
    "r8g": _NOT_READ,
}
AP_NORTHEAST_2_UNCONFIRMED_TYPES: Final[dict[str, str]] = {
    "t3a.nano": "its catalog row was not read, and half of t3a.micro (0.00585) is not a four-decimal list price, "
    "so AWS's rounding cannot be derived",
}

NOTES: Final[tuple[str, ...]] = (
    "us-east-1: every type is read from the karpenter table; none is derived.",
    "ap-northeast-2: the types in AP_NORTHEAST_2_DERIVED are derived from the per-vCPU (burstable: per-GiB) "
    "rate of the other sizes of the same family; every other Seoul figure is a catalog row.",
    "ap-northeast-2: every size of c6a, c7a, c8g, m6a, m7a, m8g, r6a and r8g, and t3a.nano, are not priced "
    "(AP_NORTHEAST_2_UNCONFIRMED_FAMILIES, AP_NORTHEAST_2_UNCONFIRMED_TYPES).",
    "t4g.nano: us-east-1 0.0042 (karpenter; SkyPilot agrees); Seoul 0.0052 is derived, not read.",
)

TABLES: Final[dict[str, dict[str, float]]] = {"us-east-1": US_EAST_1, "ap-northeast-2": AP_NORTHEAST_2}


def unpriced_reason(region: str, instance_type: str) -> str | None:
    """Why `instance_type` has no on-demand price in `region`'s table, or None when it has one (or the region
    has no table of its own: the estimate then says it uses another region's prices)."""
    table = TABLES.get(region)
    if table is None or instance_type in table:
        return None
    if region == "ap-northeast-2":
        family = instance_type.split(".", 1)[0]
        return (AP_NORTHEAST_2_UNCONFIRMED_TYPES.get(instance_type) or AP_NORTHEAST_2_UNCONFIRMED_FAMILIES.get(family)
                or "not in the price table")
    return "not in the price table"
