"""Capitalizer server using asyncio streams (one coroutine per client)."""
import asyncio
import os

LIMIT = 10
strings_used = 0  # one event loop thread, so no lock needed


async def handle(reader, writer):
    global strings_used
    peer = writer.get_extra_info("peername")
    print("connected", peer)
    try:
        while True:
            data = await reader.read(1024)
            if not data:
                break
            try:
                sentence = data.decode()
            except UnicodeDecodeError:
                break
            if sentence == "CLIENT REQUESTS SHUTDOWN":
                break
            if strings_used >= LIMIT:
                writer.write(b"STRINGS LIMIT REACHED, CLOSING CONNECTION")
                await writer.drain()
                break
            strings_used += 1
            writer.write((sentence.upper() + "\nAwaiting next string...").encode())
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        print("closing", peer)
        writer.close()


async def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "65434"))
    server = await asyncio.start_server(handle, host, port)
    print("SERVER READY @", host, port)
    async with server:
        await server.serve_forever()


asyncio.run(main())
