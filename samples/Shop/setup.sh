#!/usr/bin/env bash
# Creates a merchant and a sandbox key with the tillpoint CLI and writes the shop's settings to
# samples/Shop/appsettings.Local.json (the private key goes to samples/Shop/shop-data/, both ignored by git).
#
#   samples/Shop/setup.sh [--force]
#
# Run it once, from the directory you run `tillpoint serve` in, with or without the server running: both then use
# ./tillpoint-data there (or $TILLPOINT_DATA_DIR, which both read too). TILLPOINT may name the tillpoint command to
# use; by default it is `tillpoint` on the PATH, else the server project in this repository, built first.
set -euo pipefail

shop_dir="$(cd "$(dirname "$0")" && pwd)"
repo_dir="$(cd "$shop_dir/../.." && pwd)"
settings="$shop_dir/appsettings.Local.json"
key_path="$shop_dir/shop-data/tillpoint-private.pem"

if [ -e "$settings" ] && [ "${1:-}" != "--force" ]; then
  echo "setup: $settings exists; run with --force to make a new merchant and key" >&2
  exit 1
fi

# Relative to where the user is, as for `tillpoint serve` run from here.
data_dir="$(realpath -m "${TILLPOINT_DATA_DIR:-tillpoint-data}")"
if [ -n "${TILLPOINT:-}" ]; then
  read -ra tillpoint <<<"$TILLPOINT"
elif command -v tillpoint >/dev/null; then
  tillpoint=(tillpoint)
else
  dotnet build "$repo_dir/src/Tillpoint.Server" --nologo -v quiet >/dev/null
  tillpoint=(dotnet run --no-build --project "$repo_dir/src/Tillpoint.Server" --)
fi

# The CLI's --json answers are one line of flat JSON; this reads one string field of it.
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$2"; }

merchant=$("${tillpoint[@]}" merchants create --name "Tillpoint Demo Shop" --data-dir "$data_dir" --json | grep '^{')
merchant_id=$(field merchantId "$merchant")
store_id=$(field storeId "$merchant")

mkdir -p "$(dirname "$key_path")"
rm -f "$key_path"
key=$("${tillpoint[@]}" keys create --merchant "$merchant_id" --environment sandbox --out "$key_path" --data-dir "$data_dir" --json | grep '^{')
public_key_id=$(field publicKeyId "$key")

if [ -z "$merchant_id" ] || [ -z "$store_id" ] || [ -z "$public_key_id" ]; then
  echo "setup: the tillpoint CLI did not answer as expected: $merchant $key" >&2
  exit 2
fi

cat >"$settings" <<JSON
{
  "Tillpoint": {
    "MerchantId": "$merchant_id",
    "StoreId": "$store_id",
    "PublicKeyId": "$public_key_id",
    "PrivateKeyPath": "$key_path",
    "CertificatePath": "$data_dir/tillpoint-https.pem"
  }
}
JSON
echo "setup: merchant $merchant_id, store $store_id, key $public_key_id in $data_dir"
echo "setup: settings written to $settings"
