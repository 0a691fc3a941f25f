using System.IO.Compression;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Http;

/// <summary>
/// Brotli and gzip for delivery bodies (JSON and feeds), chosen from Accept-Encoding. Done where the body is sent
/// (<see cref="ConditionalJson"/>) rather than by ASP.NET Core's response-compression middleware, because there the
/// whole body is at hand: small bodies stay as they are, each encoding gets an ETag of its own (the middleware keeps
/// the identity ETag on a compressed body), and the output cache, whose key varies by the chosen encoding
/// (<see cref="DeliveryCache"/>), keeps the compressed bytes, so that a hit compresses nothing.
/// </summary>
public static class ContentEncodings
{
    public const string Brotli = "br";
    public const string Gzip = "gzip";
    public const string Identity = "identity";

    /// <summary>Below this, compression saves less than a packet and costs the time to do it.</summary>
    public const int MinimumBytes = 1024;

    /// <summary>Brotli's quality 5 and a 4 MB window: most of quality 11's saving on JSON at a small part of its time.</summary>
    private const int BrotliQuality = 5;
    private const int BrotliWindow = 22;

    /// <summary>br, gzip or identity: the client's most preferred of br and gzip (br on a tie), else identity.</summary>
    public static string Negotiate(HttpRequest request)
    {
        var accept = request.Headers.AcceptEncoding;
        if (accept.Count == 0 || !StringWithQualityHeaderValue.TryParseList(accept, out var offered))
        {
            return Identity;
        }
        double Quality(string coding)
        {
            double? exact = null, any = null;
            foreach (var value in offered)
            {
                if (value.Value.Equals(coding, StringComparison.OrdinalIgnoreCase))
                {
                    exact = value.Quality ?? 1;
                }
                else if (value.Value.Equals("*", StringComparison.Ordinal))
                {
                    any = value.Quality ?? 1;
                }
            }
            return exact ?? any ?? 0;
        }
        var brotli = Quality(Brotli);
        var gzip = Quality(Gzip);
        return brotli > 0 && brotli >= gzip ? Brotli : gzip > 0 ? Gzip : Identity;
    }

    /// <summary>The body in <paramref name="encoding"/>, which <see cref="Negotiate"/> chose.</summary>
    public static ReadOnlyMemory<byte> Encode(ReadOnlyMemory<byte> bytes, string encoding)
    {
        if (encoding == Brotli)
        {
            var compressed = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
            if (!BrotliEncoder.TryCompress(bytes.Span, compressed, out var written, BrotliQuality, BrotliWindow))
            {
                throw new InvalidOperationException("Brotli could not compress a body into its maximum compressed length.");
            }
            return compressed.AsMemory(0, written);
        }
        if (encoding == Gzip)
        {
            using var output = new MemoryStream(bytes.Length / 3);
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(bytes.Span);
            }
            return output.ToArray();
        }
        return bytes;
    }
}
